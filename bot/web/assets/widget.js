/*
 * The kefu chat widget on a shop page: gets a Direct Line token for the chosen shopper, then
 * renders Microsoft's Web Chat against kefu's embedded Direct Line (WebSocket streaming,
 * uploads, suggested actions and cards all come from Web Chat itself). Locale comes from the
 * page's <html lang>. A shop's own page does the same, with its server minting the token.
 */
(function () {
  var config = JSON.parse(document.getElementById('kefu-config').textContent);
  var locale = /^en/i.test(document.documentElement.lang) ? 'en-US' : 'zh-CN';
  var picker = document.getElementById('kefu-shopper');
  var panel = document.getElementById('kefu-panel');
  var opened = null;

  var saved = window.localStorage.getItem('kefu.shopper');
  if (saved && picker.querySelector('option[value="' + CSS.escape(saved) + '"]')) picker.value = saved;

  var styleOptions = {
    accent: '#ff0036',
    botAvatarInitials: locale === 'zh-CN' ? '客服' : 'KF',
    botAvatarBackgroundColor: '#ff0036',
    userAvatarInitials: initials(picker.selectedOptions[0]),
    bubbleBorderRadius: 10,
    bubbleFromUserBorderRadius: 10,
    bubbleFromUserBackground: '#fff0f3',
    bubbleFromUserBorderColor: '#ffd0da',
    suggestedActionLayout: 'flow',
    suggestedActionBorderRadius: 16,
    hideUploadButton: false,
    // Evidence: the types the Direct Line accepts; the shopper may add a caption before sending.
    uploadAccept: 'image/jpeg,image/png,image/webp,image/gif,video/mp4,application/pdf',
    uploadMultiple: true,
    sendBoxButtonColor: '#ff0036',
  };

  /** 李华 → 李华, Emily Chen → EC, no name: from the id (u-zhang → ZH). */
  function initials(option) {
    var name = option?.getAttribute('data-name') || '';
    if (/^\p{Script=Han}/u.test(name)) return name.slice(0, 2);
    var words = name.split(/\s+/).filter(Boolean);
    if (words.length > 0)
      return words
        .slice(0, 2)
        .map(function (w) {
          return w[0];
        })
        .join('')
        .toUpperCase();
    return (option ? option.value : '').replace(/^u-/, '').slice(0, 2).toUpperCase();
  }

  var SESSION_KEY = 'kefu.conversation';

  /**
   * The shopper's conversation in this browser tab: the saved one when its token can still be
   * refreshed (it is bound to that conversation), else a new one from the page's token URL.
   */
  async function resumeOrStart(shopperId) {
    var saved = null;
    try {
      saved = JSON.parse(window.sessionStorage.getItem(SESSION_KEY) || 'null');
    } catch {
      saved = null;
    }
    if (saved && saved.shopperId === shopperId && saved.expiresAt > Date.now() + 60000) {
      const refreshed = await fetch(domain() + '/tokens/refresh', {
        method: 'POST',
        headers: { Authorization: 'Bearer ' + saved.token },
      });
      if (refreshed.ok) {
        const r = await refreshed.json();
        remember(shopperId, r);
        return { token: r.token, conversationId: r.conversationId, resumed: true };
      }
    }
    var res = await fetch(config.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        user: { id: shopperId, name: picker.selectedOptions[0].getAttribute('data-name') || undefined },
        locale: locale,
      }),
    });
    if (!res.ok) throw new Error('kefu: could not get a chat token (HTTP ' + res.status + ')');
    var started = await res.json();
    remember(shopperId, started);
    return { token: started.token, conversationId: started.conversationId, resumed: false };
  }

  function remember(shopperId, answer) {
    window.sessionStorage.setItem(
      SESSION_KEY,
      JSON.stringify({
        shopperId: shopperId,
        conversationId: answer.conversationId,
        token: answer.token,
        expiresAt: Date.now() + answer.expires_in * 1000,
      }),
    );
  }

  function domain() {
    return new URL(config.domain, window.location.href).href.replace(/\/$/, '');
  }

  async function open() {
    panel.hidden = false;
    document.getElementById('kefu-open').hidden = true;
    if (opened === picker.value) return;
    opened = picker.value;
    window.localStorage.setItem('kefu.shopper', opened);
    var session = await resumeOrStart(opened);
    // With a conversationId Web Chat reconnects to that conversation and replays it from the start,
    // so a page reload shows the shopper what they already said and continues at the same step.
    var directLine = window.WebChat.createDirectLine({
      token: session.token,
      conversationId: session.resumed ? session.conversationId : undefined,
      domain: domain(),
      webSocket: true,
    });
    // Exposed for diagnostics and browser tests.
    window.kefuDirectLine = directLine;
    window.WebChat.renderWebChat(
      { directLine: directLine, userID: opened, locale: locale, styleOptions: styleOptions, sendTypingIndicator: true },
      document.getElementById('kefu-webchat'),
    );
    var input = document.querySelector('#kefu-webchat input[type=text], #kefu-webchat textarea');
    if (input) input.focus();
  }

  document.getElementById('kefu-open').addEventListener('click', function () {
    open().catch(function (err) {
      console.error(err);
    });
  });
  document.getElementById('kefu-close').addEventListener('click', function () {
    panel.hidden = true;
    document.getElementById('kefu-open').hidden = false;
  });
  picker.addEventListener('change', function () {
    // A new shopper is a new conversation: start over with a fresh Web Chat.
    opened = null;
    window.localStorage.setItem('kefu.shopper', picker.value);
    window.location.reload();
  });
})();
