// kefu agent console. Talks to the agent API with the agent's bearer token (kept in
// sessionStorage for this tab only) and hears about new cases and messages over server-sent
// events read with fetch. Shopper-provided text is only ever set with textContent.

const $ = (id) => document.getElementById(id);
// A sign-in link (`/console#token=...`, printed by a local kefu for its demo agent) carries the
// token in the fragment, which never reaches a server; it is taken and wiped from the address bar.
const linked = /^#token=([\w-]{16,})$/.exec(location.hash);
if (linked) history.replaceState(null, '', location.pathname);
let token = linked?.[1] || sessionStorage.getItem('kefu-agent-token') || '';
let me = null;
let openCaseId = null;
let queue = [];
let serverSkewMs = 0;
let events = null;
const blobUrls = [];

// ---- words: the console speaks the agent's choice of zh-CN or en (kept in localStorage) ----

const WORDS = {
  en: {
    title: 'kefu 客服 · agent console',
    signOut: 'Sign out',
    tokenLabel: 'Agent token',
    signIn: 'Sign in',
    queue: 'Queue',
    noCases: 'No cases waiting.',
    case: 'Case',
    proposal: 'Proposal',
    facts: 'Facts',
    evidence: 'Evidence',
    conversation: 'Conversation',
    messagePh: 'Message to the shopper',
    send: 'Send',
    close: 'Close',
    kindAccept: 'Accept the proposal',
    kindChange: 'Change it',
    kindReject: 'Reject',
    refundPh: 'refund %',
    compensationPh: 'compensation ¥',
    complaintWas: 'Complaint was really',
    asRead: '(as the bot read it)',
    notePh: 'Note for the case file (never shown to the shopper)',
    closeCase: 'Close case',
    thCase: 'case',
    thTeam: 'team',
    thPriority: 'priority',
    thTier: 'tier',
    thComplaint: 'complaint',
    thReason: 'reason',
    thState: 'state',
    thFirst: 'first response',
    thResolution: 'resolution',
    notAccepted: 'Your token was not accepted.',
    signedInAs: (n) => `Signed in as ${n}`,
    newCase: (e) =>
      `New case ${e.caseId}: ${e.complaint} (${e.team}, P${e.priority}${e.priority === 1 ? ', most urgent' : ''})`,
    breach: (e) => `SLA ${e.kind.replace('_', ' ')} breached on case ${e.caseId}`,
    messageOn: (id) => `Message on case ${id}`,
    shopperLeft: (id) => `The shopper left case ${id}; you can still close it`,
    closed: (d) => `Case ${d.caseId} closed: ${d.resolution.kind} (${d.resolution.remedy})`,
    waiting: (p) => `waiting #${p}`,
    withAgent: (a) => `with ${a}`,
    left: 'shopper left',
    answered: 'answered',
    breached: 'breached',
    claim: 'Claim',
    open: 'Open',
    noEvidence: 'No evidence.',
    dismiss: 'Dismiss',
  },
  'zh-CN': {
    title: 'kefu 客服 · 客服工作台',
    signOut: '退出登录',
    tokenLabel: '客服令牌',
    signIn: '登录',
    queue: '队列',
    noCases: '暂无排队工单。',
    case: '工单',
    proposal: '方案',
    facts: '事实',
    evidence: '凭证',
    conversation: '对话',
    messagePh: '发给顾客的消息',
    send: '发送',
    close: '结案',
    kindAccept: '接受方案',
    kindChange: '修改方案',
    kindReject: '驳回',
    refundPh: '退款 %',
    compensationPh: '赔付 ¥',
    complaintWas: '问题实际是',
    asRead: '（按机器人的判断）',
    notePh: '工单内部备注（顾客看不到）',
    closeCase: '结案',
    thCase: '工单',
    thTeam: '团队',
    thPriority: '优先级',
    thTier: '会员',
    thComplaint: '问题',
    thReason: '原因',
    thState: '状态',
    thFirst: '首次响应',
    thResolution: '解决时限',
    notAccepted: '令牌无效。',
    signedInAs: (n) => `已登录：${n}`,
    newCase: (e) =>
      `新工单 ${e.caseId}：${e.complaint}（${e.team}，P${e.priority}${e.priority === 1 ? '，最紧急' : ''}）`,
    breach: (e) => `工单 ${e.caseId} 超出${e.kind === 'first_response' ? '首次响应' : '解决'}时限`,
    messageOn: (id) => `工单 ${id} 有新消息`,
    shopperLeft: (id) => `顾客已离开工单 ${id} 的对话，您仍可结案`,
    closed: (d) => `工单 ${d.caseId} 已结案：${d.resolution.kind}（${d.resolution.remedy}）`,
    waiting: (p) => `排队第 ${p} 位`,
    withAgent: (a) => `${a} 处理中`,
    left: '顾客已离开',
    answered: '已响应',
    breached: '已超时',
    claim: '接单',
    open: '打开',
    noEvidence: '没有凭证。',
    dismiss: '关闭',
  },
};
let lang =
  localStorage.getItem('kefu-console-lang') || (navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en');
const w = (key, ...args) => {
  const v = (WORDS[lang] || WORDS.en)[key];
  return typeof v === 'function' ? v(...args) : v;
};

/** Static words: `data-w` sets the text, `data-w-placeholder` the placeholder. */
function applyWords() {
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll('[data-w]')) node.textContent = w(node.dataset.w);
  for (const node of document.querySelectorAll('[data-w-placeholder]')) node.placeholder = w(node.dataset.wPlaceholder);
  $('lang').value = lang;
  if (me) $('who').textContent = w('signedInAs', me.name);
  if (queue.length) renderQueue();
}

// Notices go away by themselves after NOTICE_MS, or at once with their × button.
const NOTICE_MS = 15_000;

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (res.status === 401) {
    signOut(w('notAccepted'));
    throw new Error('unauthorized');
  }
  const data = res.headers.get('content-type')?.includes('json') ? await res.json() : null;
  if (!res.ok) throw new Error(data?.message || `HTTP ${res.status}`);
  return data;
}

// ---- sign-in ----

async function signIn(candidate) {
  token = candidate;
  try {
    me = await api('GET', '/api/agent/me');
  } catch (err) {
    $('sign-in-error').textContent = err.message === 'unauthorized' ? w('notAccepted') : err.message;
    return;
  }
  sessionStorage.setItem('kefu-agent-token', token);
  $('who').textContent = w('signedInAs', me.name);
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  await refreshQueue();
  listen();
}

function signOut(message) {
  token = '';
  me = null;
  sessionStorage.removeItem('kefu-agent-token');
  if (events) events.abort();
  $('app').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('who').textContent = '';
  $('sign-in-error').textContent = message || '';
}

// ---- push: server-sent events over fetch (EventSource cannot send the token) ----

async function listen() {
  events = new AbortController();
  try {
    const res = await fetch('/api/agent/events', {
      headers: { Authorization: `Bearer ${token}` },
      signal: events.signal,
    });
    if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      for (let cut = buffer.indexOf('\n\n'); cut >= 0; cut = buffer.indexOf('\n\n')) {
        const frame = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = frame
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .map((l) => l.slice(6))
          .join('\n');
        if (frame.startsWith('event: hello')) document.body.dataset.live = 'yes';
        else if (data) onEvent(JSON.parse(data));
      }
    }
  } catch {
    if (events.signal.aborted) return;
  }
  document.body.dataset.live = 'no';
  if (token) setTimeout(listen, 2000);
}

function notice(text) {
  const n = el('div', null, 'notice');
  const dismiss = el('button', '×', 'dismiss');
  dismiss.type = 'button';
  dismiss.title = w('dismiss');
  dismiss.setAttribute('aria-label', w('dismiss'));
  dismiss.addEventListener('click', () => n.remove());
  n.append(el('span', text), dismiss);
  setTimeout(() => n.remove(), NOTICE_MS);
  $('notices').prepend(n);
  while ($('notices').children.length > 5) $('notices').lastChild.remove();
}

function onEvent(e) {
  switch (e.type) {
    case 'case_queued':
      notice(w('newCase', e));
      refreshQueue();
      break;
    case 'queue_changed':
      refreshQueue();
      if (e.change === 'shopper_left') notice(w('shopperLeft', e.caseId));
      if (e.caseId === openCaseId && (e.change === 'left' || e.change === 'released' || e.change === 'shopper_left'))
        openCase(e.caseId);
      break;
    case 'sla_breach':
      notice(w('breach', e));
      refreshQueue();
      break;
    case 'shopper_message':
      if (e.caseId === openCaseId) addLine({ from: 'shopper', text: e.text, at: e.at, evidence: e.evidence });
      else notice(w('messageOn', e.caseId));
      break;
  }
}

// ---- queue ----

async function refreshQueue() {
  const data = await api('GET', '/api/agent/queue');
  serverSkewMs = Date.parse(data.now) - Date.now();
  queue = data.items;
  renderQueue();
}

function clock(due, breached) {
  const left = Math.round((Date.parse(due) - (Date.now() + serverSkewMs)) / 1000);
  const abs = Math.abs(left);
  const text = `${left < 0 ? '-' : ''}${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, '0')}`;
  return { text: breached || left < 0 ? `${text} ${w('breached')}` : text, breached: breached || left < 0 };
}

function renderQueue() {
  const body = $('queue').tBodies[0];
  body.replaceChildren();
  $('queue-empty').hidden = queue.length > 0;
  for (const q of queue) {
    const tr = el('tr', null, q.state);
    tr.dataset.caseId = q.caseId;
    const state =
      q.state === 'waiting'
        ? w('waiting', q.position ?? '?')
        : q.lifecycle === 'shopper_left'
          ? `${w('withAgent', q.agent)} · ${w('left')}`
          : w('withAgent', q.agent);
    // Priority 1 is the most urgent: shown as P1 so nobody reads it as a score.
    for (const v of [q.caseId, q.team, `P${q.priority}`, q.memberTier, q.complaint, q.reason, state])
      tr.append(el('td', v));
    const first = q.firstResponseAt
      ? { text: w('answered'), breached: q.breaches.includes('first_response') }
      : clock(q.firstResponseDue, q.breaches.includes('first_response'));
    const resolution = clock(q.resolutionDue, q.breaches.includes('resolution'));
    const dues = [q.firstResponseAt ? null : q.firstResponseDue, q.resolutionDue];
    [first, resolution].forEach((c, i) => {
      const td = el('td', c.text, c.breached ? 'breached sla' : 'sla');
      if (dues[i]) td.dataset.due = dues[i];
      if (c.breached) td.dataset.breached = 'yes';
      tr.append(td);
    });
    const action = el('td');
    const button = el('button', q.state === 'waiting' ? w('claim') : w('open'));
    button.type = 'button';
    button.addEventListener('click', () => (q.state === 'waiting' ? claim(q.caseId) : openCase(q.caseId)));
    if (q.state === 'assigned' && q.agent !== me.name) button.disabled = true;
    action.append(button);
    tr.append(action);
    body.append(tr);
  }
}

/** Counts the SLA timers down in place, so rows are not rebuilt under the agent's pointer. */
function tickClocks() {
  for (const td of document.querySelectorAll('td.sla[data-due]')) {
    const c = clock(td.dataset.due, td.dataset.breached === 'yes');
    td.textContent = c.text;
    td.className = c.breached ? 'breached sla' : 'sla';
  }
}

async function claim(caseId) {
  try {
    await api('POST', `/api/agent/cases/${encodeURIComponent(caseId)}/claim`);
  } catch (err) {
    notice(err.message);
  }
  await refreshQueue();
  await openCase(caseId);
}

// ---- case file ----

function dl(target, pairs) {
  target.replaceChildren();
  for (const [k, v] of pairs) {
    if (v === undefined || v === null || v === '') continue;
    target.append(
      el('dt', k),
      el('dd', Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : v),
    );
  }
}

function addLine(t) {
  const li = el('li', null, t.from);
  li.append(el('span', t.from === 'agent' ? `${t.agent || 'agent'}` : t.from, 'from'));
  li.append(el('span', t.text, 'text'));
  if (t.evidence?.length) li.append(el('small', ` [evidence: ${t.evidence.join(', ')}]`));
  $('transcript').append(li);
  li.scrollIntoView({ block: 'nearest' });
}

async function showEvidence(caseId, items) {
  while (blobUrls.length) URL.revokeObjectURL(blobUrls.pop());
  const box = $('evidence');
  box.replaceChildren();
  if (items.length === 0) box.append(el('p', w('noEvidence')));
  for (const item of items) {
    const res = await fetch(`/api/agent/cases/${encodeURIComponent(caseId)}/evidence/${encodeURIComponent(item.id)}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!res.ok) {
      box.append(el('p', `${item.kind}: could not load (HTTP ${res.status})`, 'error'));
      continue;
    }
    const url = URL.createObjectURL(await res.blob());
    blobUrls.push(url);
    const type = res.headers.get('content-type') || '';
    const figure = el('figure');
    if (type.startsWith('image/')) {
      const img = el('img');
      img.src = url;
      img.alt = item.kind;
      figure.append(img);
    } else if (type.startsWith('video/')) {
      const video = el('video');
      video.src = url;
      video.controls = true;
      figure.append(video);
    } else {
      const a = el('a', item.fileName || item.kind);
      a.href = url;
      a.download = item.fileName || item.id;
      figure.append(a);
    }
    figure.append(el('figcaption', item.kind));
    box.append(figure);
  }
}

async function openCase(caseId) {
  $('case-error').textContent = '';
  let file;
  try {
    file = await api('GET', `/api/agent/cases/${encodeURIComponent(caseId)}`);
  } catch (err) {
    notice(err.message);
    return;
  }
  await showCase(file);
}

/** ID and card numbers come masked; showing them is recorded in the case. */
async function reveal() {
  try {
    await showCase(await api('POST', `/api/agent/cases/${encodeURIComponent(openCaseId)}/reveal`));
  } catch (err) {
    $('case-error').textContent = err.message;
  }
}

async function showCase(file) {
  const c = file.case;
  openCaseId = c.id;
  $('case-panel').hidden = false;
  $('case-id').textContent = c.id;
  $('case-status').textContent = `${c.status}${file.queue?.agent ? ` · ${file.queue.agent}` : ''}`;
  const d = c.decision;
  dl(
    $('proposal'),
    d
      ? [
          ['rule', d.ruleId],
          ['basis', d.basis],
          ['remedy', d.remedy],
          ['refund %', d.refund_pct],
          [
            'compensation ¥',
            d.compensation_amount === undefined
              ? undefined
              : `${d.compensation_amount}${d.compensation?.label ? ` (${d.compensation.label})` : ''}`,
          ],
          ['needs your approval', d.pending_approval?.join(', ')],
          ['return shipping', d.return_shipping_paid_by],
          ['why', d.explain && (d.explain[c.locale] || d.explain.en)],
          ['matched', d.matched],
        ]
      : [['rule', 'no proposal (the bot could not decide)']],
  );
  dl($('facts'), Object.entries(c.facts));
  $('transcript').replaceChildren();
  for (const t of c.transcript) addLine(t);
  $('reveal').hidden = !(file.masked > 0);
  $('reveal').textContent = `Show ${file.masked} masked ID/card number(s) (recorded in the case)`;
  const mine = file.queue && file.queue.state === 'assigned' && file.queue.agent === me.name;
  for (const f of ['send-form', 'close-form']) $(f).hidden = !mine;
  await showEvidence(c.id, c.evidence);
}

async function send(event) {
  event.preventDefault();
  const text = $('message').value.trim();
  if (!text || !openCaseId) return;
  try {
    const line = await api('POST', `/api/agent/cases/${encodeURIComponent(openCaseId)}/messages`, { text });
    addLine(line);
    $('message').value = '';
    refreshQueue();
  } catch (err) {
    $('case-error').textContent = err.message;
  }
}

async function closeCase(event) {
  event.preventDefault();
  const kind = $('close-kind').value;
  const body = { kind, note: $('close-note').value };
  // A corrected complaint becomes a candidate training example (kefu intents review).
  if ($('close-complaint').value !== '') body.complaint = $('close-complaint').value;
  if (kind === 'change') {
    body.remedy = $('close-remedy').value;
    if ($('close-refund-pct').value !== '') body.refund_pct = Number($('close-refund-pct').value);
    if ($('close-compensation').value !== '') body.compensation_amount = Number($('close-compensation').value);
  }
  try {
    const done = await api('POST', `/api/agent/cases/${encodeURIComponent(openCaseId)}/close`, body);
    notice(w('closed', done));
    $('case-panel').hidden = true;
    openCaseId = null;
    $('close-form').reset();
    await refreshQueue();
  } catch (err) {
    $('case-error').textContent = err.message;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('sign-in-form').addEventListener('submit', (e) => {
    e.preventDefault();
    signIn($('token').value.trim());
  });
  $('sign-out').addEventListener('click', () => signOut());
  $('send-form').addEventListener('submit', send);
  $('close-form').addEventListener('submit', closeCase);
  $('reveal').addEventListener('click', reveal);
  $('close-kind').addEventListener('change', () => ($('change-fields').hidden = $('close-kind').value !== 'change'));
  $('lang').addEventListener('change', () => {
    lang = $('lang').value;
    localStorage.setItem('kefu-console-lang', lang);
    applyWords();
  });
  applyWords();
  setInterval(tickClocks, 1000);
  if (token) signIn(token);
});
