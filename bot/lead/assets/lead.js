// kefu lead page: analytics with Chart.js, and the rule table's impact report, activation and
// rollback. Talks to /api/lead/* with the bearer token kept in sessionStorage; every value from
// the server is shown with textContent, never parsed as markup.

(function () {
  const $ = (s) => document.querySelector(s);
  const KEY = 'kefu-lead-token';
  let token = sessionStorage.getItem(KEY) || '';
  let role = 'agent';
  let previewText = '';
  const charts = {};

  async function api(method, path, body) {
    const res = await fetch(path, {
      method,
      headers: Object.assign(
        { Authorization: 'Bearer ' + token },
        body === undefined ? {} : { 'Content-Type': 'application/json' },
      ),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await res.json().catch(() => ({}));
    return { status: res.status, data };
  }

  const pct = (r) => (r * 100).toFixed(1) + '%';
  const yuan = (n) => '¥' + Number(n).toLocaleString('en-US', { maximumFractionDigits: 2 });
  const signed = (n, f) => (n > 0 ? '+' : n < 0 ? '−' : '±') + f(Math.abs(n));
  function span(s) {
    if (s < 90) return Math.round(s) + 's';
    if (s < 5400) return Math.round(s / 60) + 'm';
    return (s / 3600).toFixed(1) + 'h';
  }
  function text(sel, value) {
    $(sel).textContent = value;
  }
  function row(cells) {
    const tr = document.createElement('tr');
    for (const c of cells) {
      const td = document.createElement('td');
      if (c instanceof Node) td.appendChild(c);
      else td.textContent = String(c);
      tr.appendChild(td);
    }
    return tr;
  }
  function fill(sel, rows, empty) {
    const body = $(sel + ' tbody');
    body.replaceChildren(...rows);
    if (rows.length === 0) body.appendChild(row([empty]));
  }
  function notice(msg) {
    const div = document.createElement('div');
    div.className = 'notice';
    div.textContent = msg;
    $('#notices').appendChild(div);
    setTimeout(() => div.remove(), 6000);
  }

  function chart(id, type, labels, datasets, extra) {
    if (charts[id]) charts[id].destroy();
    charts[id] = new window.Chart($('#' + id), {
      type,
      data: { labels, datasets },
      options: Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, extra || {}),
    });
  }

  async function loadAnalytics() {
    const { status, data: a } = await api('GET', '/api/lead/analytics?since=' + encodeURIComponent($('#since').value));
    if (status !== 200) return notice(a.message || 'could not load analytics');
    text('#period', a.since.slice(0, 10) + ' → ' + a.until.slice(0, 10));
    text('#kpi-containment', pct(a.containmentRate));
    text('#kpi-containment-note', a.contained + ' settled by the bot');
    text('#kpi-handoff', pct(a.handoffRate));
    text('#kpi-handoff-note', a.handedOff + ' of ' + a.cases + ' cases');
    const t = a.resolutionTime;
    text('#kpi-ttr', t.bot.count ? span(t.bot.median) : '–');
    text(
      '#kpi-ttr-note',
      'agents: ' + (t.agent.count ? span(t.agent.median) + ' median, ' + span(t.agent.p90) + ' p90' : 'none resolved'),
    );
    text('#kpi-sla', a.sla.measured ? pct(a.sla.resolutionRate) : '–');
    text(
      '#kpi-sla-note',
      a.sla.measured
        ? 'first response ' + pct(a.sla.firstResponseRate) + ' of ' + a.sla.measured
        : 'no resolved handoffs',
    );
    text('#kpi-csat', a.csat.count ? a.csat.average + ' / 5' : '–');
    text('#kpi-csat-note', a.csat.count + ' ratings');
    text('#kpi-money', yuan(a.totals.refunds) + ' · ' + yuan(a.totals.compensation));
    text('#kpi-cases', a.cases + ' cases');

    const reasons = Object.entries(a.handoffReasons);
    chart(
      'chart-reasons',
      'doughnut',
      reasons.map((r) => r[0]),
      [
        {
          data: reasons.map((r) => r[1]),
          backgroundColor: ['#d6331f', '#f08c2e', '#f2c94c', '#4a90d9', '#7b61c9', '#2fa37a'],
        },
      ],
    );
    chart(
      'chart-money',
      'bar',
      a.byComplaint.map((c) => c.complaint),
      [
        { label: 'refunds', data: a.byComplaint.map((c) => c.refunds), backgroundColor: '#4a90d9' },
        { label: 'compensation', data: a.byComplaint.map((c) => c.compensation), backgroundColor: '#d6331f' },
      ],
    );
    chart(
      'chart-csat',
      'bar',
      ['1★', '2★', '3★', '4★', '5★'],
      [{ label: 'ratings', data: a.csat.distribution, backgroundColor: '#2fa37a' }],
      { plugins: { legend: { display: false } } },
    );

    fill(
      '#by-complaint',
      a.byComplaint.map((c) =>
        row([
          c.complaint,
          c.cases,
          Object.entries(c.remedies)
            .map((e) => e[0] + ' ' + e[1])
            .join(', ') || '–',
          yuan(c.refunds),
          yuan(c.compensation),
        ]),
      ),
      'no cases in this period',
    );
    const weak = a.weakSpots.corrections
      .map((k) => row([k.caseId, k.text, k.from, k.to]))
      .concat(a.weakSpots.unsure.map((u) => row([u.caseId, u.text, 'unsure (handed off)', '–'])));
    fill('#weak', weak, 'no corrections or unsure handoffs');
    document.body.dataset.analytics = 'ready';
  }

  async function loadRules() {
    const { status, data } = await api('GET', '/api/lead/rules');
    if (status !== 200) return;
    text('#serving-hash', data.hash);
    text('#serving-rows', String(data.rows));
    fill(
      '#row-basis',
      data.basis.map((b) => row([b.id, b.line, b.basis])),
      'no rows',
    );
    fill(
      '#versions',
      data.versions.map((v, i) => {
        let action = '';
        if (role === 'lead' && v.hash !== data.hash) {
          action = document.createElement('button');
          action.type = 'button';
          action.textContent = 'Roll back to this';
          action.addEventListener('click', () => rollback(v.id));
        } else if (i === 0 || v.hash === data.hash) action = v.hash === data.hash ? 'serving' : '';
        return row([
          v.id,
          v.at.replace('T', ' ').slice(0, 19),
          v.by,
          v.kind + (v.restoredFrom ? ' of #' + v.restoredFrom : ''),
          v.hash,
          v.diff ? v.diff.changedCount : '–',
          action,
        ]);
      }),
      'no versions yet',
    );
  }

  async function rollback(id) {
    const { status, data } = await api('POST', '/api/lead/rules/versions/' + id + '/rollback');
    if (status !== 201) return notice(data.message || 'rollback failed');
    notice('Rolled back: version #' + data.id + ' serves ' + data.hash);
    setTimeout(loadRules, 300);
  }

  function showErrors(list) {
    $('#table-errors').replaceChildren(
      ...list.map((d) => {
        const li = document.createElement('li');
        li.textContent =
          d.file.split('/').pop() +
          ':' +
          d.line +
          ':' +
          d.column +
          ' ' +
          (d.ruleId ? 'rule ' + d.ruleId + ': ' : '') +
          d.message;
        return li;
      }),
    );
  }

  async function preview(e) {
    e.preventDefault();
    const file = $('#table-file').files[0];
    previewText = file ? await file.text() : $('#table-text').value;
    showErrors([]);
    $('#impact').hidden = true;
    const { status, data } = await api('POST', '/api/lead/rules/preview', { text: previewText });
    if (status === 422)
      return showErrors(data.diagnostics || [{ file: '', line: 0, column: 0, message: data.message }]);
    if (status !== 200) return notice(data.message || 'preview failed');
    const d = data.diff;
    text('#impact-hash', data.hash);
    text('#impact-changed', d.changedCount + ' of ' + d.replayed);
    text('#impact-refunds', signed(d.delta.refunds, yuan));
    text('#impact-compensation', signed(d.delta.compensation, yuan));
    text('#impact-escalation', pct(d.before.escalationRate) + ' → ' + pct(d.after.escalationRate));
    text('#impact-express', signed(d.delta.expressRefunds, String));
    fill(
      '#impact-groups',
      d.groups.map((g) =>
        row([
          g.oldRule,
          g.newRule,
          g.count,
          signed(g.refundDelta, yuan),
          signed(g.compensationDelta, yuan),
          g.caseIds.slice(0, 3).join(', '),
        ]),
      ),
      'no past case would end differently',
    );
    $('#impact-failures').replaceChildren(
      ...data.failures.map((f) => {
        const li = document.createElement('li');
        li.textContent = f.file.split('/').pop() + ':' + f.line + ':' + f.column + ' ' + f.message;
        return li;
      }),
    );
    text('#impact-report', data.report);
    const can = data.canActivate && role === 'lead';
    $('#activate').disabled = !can;
    text(
      '#activate-note',
      role !== 'lead'
        ? 'Only a lead can activate.'
        : data.failures.length
          ? 'Fix the failing tests first.'
          : data.canActivate
            ? ''
            : 'This table is already serving.',
    );
    $('#impact').hidden = false;
  }

  async function activate() {
    $('#activate').disabled = true;
    const { status, data } = await api('POST', '/api/lead/rules/activate', { text: previewText });
    if (status === 422) return showErrors(data.diagnostics);
    if (status !== 201) return notice(data.message || 'activation failed');
    notice('Activated: version #' + data.id + ' serves ' + data.hash);
    text('#activate-note', 'Activated as version #' + data.id);
    setTimeout(loadRules, 300);
  }

  async function signIn(e) {
    if (e) e.preventDefault();
    if (e) token = $('#token').value.trim();
    const { status, data } = await api('GET', '/api/lead/me');
    if (status !== 200) {
      text('#sign-in-error', 'That token was not accepted.');
      return;
    }
    sessionStorage.setItem(KEY, token);
    role = data.role;
    text('#who', data.name + ' (' + data.role + ')');
    $('#sign-in').hidden = true;
    $('#app').hidden = false;
    $('#sign-out').hidden = false;
    await Promise.all([loadAnalytics(), loadRules()]);
  }

  $('#sign-in-form').addEventListener('submit', signIn);
  $('#sign-out').addEventListener('click', () => {
    sessionStorage.removeItem(KEY);
    location.reload();
  });
  $('#since').addEventListener('change', loadAnalytics);
  $('#upload-form').addEventListener('submit', preview);
  $('#activate').addEventListener('click', activate);
  if (token) signIn();
})();
