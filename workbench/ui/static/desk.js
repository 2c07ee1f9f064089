// The segment desk (Editor tab): the list of segments is the editor. Runs as the js_on_load of a gr.HTML
// component: `element` is its root, `server.desk(data)` sends one request to workbench.ui.desk.Desk.
// Requests go one after the other (one chain per browser tab), so a save made on leaving a box always
// reaches the server before the action that left it. All text from the server arrives as escaped HTML or is
// put in with textContent / textarea values: nothing typed or stored is ever run as markup.
if (window.wbDesk && window.wbDesk.stop) window.wbDesk.stop();
const root = element.querySelector('.wb-desk');
const rowsEl = root.querySelector('.wb-rows');
const listEl = root.querySelector('.wb-list');
const panelEl = root.querySelector('.wb-panel');
const headEl = root.querySelector('.wb-colhead');
const infoEl = root.querySelector('.wb-pageinfo');
const toolsEl = root.querySelector('.wb-tools');
const noticeEl = root.querySelector('.wb-notice');
let STATUSES = JSON.parse(root.dataset.statuses);  // those this person may set (from the server)
const CONFIRMED = JSON.parse(root.dataset.confirmed);
const POLL_MS = 2500;

const params = new URLSearchParams(location.search);
const S = {
  project: params.get('project') || '',
  filter: {status: params.get('status') || 'all', origin: params.get('origin') || 'all', lang: params.get('lang') || 'all',
           query: params.get('q') || '', scope: params.get('scope') || 'source and target', qa: params.get('qa') === '1'},
  langs: (params.get('show') || '').split(',').filter(Boolean),
  seg: params.get('seg') ? parseInt(params.get('seg'), 10) : null,
  page: 0, pages: 1, order: [], rows: new Map(), active: null, lang: null, cursor: null, targets: [],
  client: sessionStorage.getItem('wb-client') || Math.random().toString(36).slice(2, 12), mt: {}, user: '',
  panelFor: null, findings: [], timers: [],
};
sessionStorage.setItem('wb-client', S.client);

// -- talking to the server -------------------------------------------------------------------------------
let chain = Promise.resolve();
let pending = 0;
const authorBox = () => document.querySelector('#author textarea, #author input');
const author = () => { const b = authorBox(); return (b && b.value.trim()) || localStorage.getItem('wb-author') || ''; };
function call(action, data) {
  pending++;
  const run = () => server.desk(Object.assign({action, project: S.project, filter: S.filter, langs: S.langs,
    page: S.page, client: S.client, author: author(), seg: S.active}, data || {}));
  const p = chain.then(run).then((r) => r || {error: 'No answer from the server: is it still running?'},
                                  () => ({error: 'The server could not be reached; nothing was saved.'}));
  p.then((r) => { if (r.missing) setTimeout(() => lostSegment(r), 0); });
  chain = p.then(() => { pending--; });
  return p;
}

function lostSegment(r) {
  // the segment is gone (merged or split by someone): reload the page, keep what was typed in the message
  const typed = S.active != null ? S.langs.filter((l) => dirty(S.active, l)).map((l) => `${l.toUpperCase()}: ${editor(l).value}`) : [];
  S.active = null;
  say(`${r.error}: the page was reloaded.` + (typed.length ? ` What you had typed: ${typed.join(' | ')}` : ''), typed.length ? 'err' : 'info');
  refilter();
}

// -- messages ---------------------------------------------------------------------------------------------
function rowMsg(id, kind, text, sticky) {
  const row = rowEl(id);
  if (!row) { say(text, kind); return; }
  const m = row.querySelector('.wb-rowmsg');
  m.textContent = text;
  m.className = 'wb-rowmsg show ' + kind;
  clearTimeout(m._t);
  if (!sticky && kind !== 'err') m._t = setTimeout(() => { m.className = 'wb-rowmsg'; }, 7000);
}
const hhmm = (iso) => (iso || '').slice(11, 16);

// -- rows -------------------------------------------------------------------------------------------------
const rowEl = (id) => rowsEl.querySelector(`.wb-row[data-seg="${id}"]`);
function makeRow(r) {
  const div = document.createElement('div');
  div.className = 'wb-row';
  div.dataset.seg = r.id;
  div.innerHTML = r.html;
  S.rows.set(r.id, r);
  return div;
}
function setColumns() {
  root.style.setProperty('--wb-ncols', String(1 + S.langs.length));
  headEl.innerHTML = '';
  const cells = [['#', ''], [S.sourceName || 'Source', 'en']].concat(S.langs.map((l) => [langName(l), l]));
  for (const [text] of cells) { const d = document.createElement('div'); d.textContent = text; headEl.appendChild(d); }
}
const langName = (l) => { const t = S.targets.find((x) => x.code === l); return t ? `${t.name} (${l.toUpperCase()})` : l; };

function renderPage(pg, opts) {
  opts = opts || {};
  S.page = pg.page; S.pages = pg.pages; S.cursor = pg.cursor;
  if (pg.langs) S.langs = pg.langs;
  if (pg.filter) S.filter = pg.filter;
  infoEl.textContent = pg.info;
  if (pg.head) { const h = document.querySelector('#proj-head'); if (h) h.innerHTML = pg.head; }
  if (pg.qa_pending !== undefined) qaNote(pg.qa_pending);
  setColumns();
  const keep = S.active != null && rowEl(S.active) && pg.rows.some((r) => r.id === S.active) ? rowEl(S.active) : null;
  const frag = document.createDocumentFragment();
  S.rows.clear();
  S.order = [];
  for (const r of pg.rows) {
    S.order.push(r.id);
    if (keep && r.id === S.active) { S.rows.set(r.id, r); keep._data = r; frag.appendChild(keep); continue; }
    frag.appendChild(makeRow(r));
  }
  if (!pg.rows.length) {
    const d = document.createElement('div');
    d.className = 'wb-none';
    d.textContent = S.filter.qa && pg.qa_pending ? 'No QA problem found yet: the check is still running.'
      : 'No segment matches the filter.';
    frag.appendChild(d);
  }
  rowsEl.innerHTML = '';
  rowsEl.appendChild(frag);
  if (!keep && S.active != null && !opts.noActivate) {
    const still = S.order.includes(S.active) ? S.active : null;
    S.active = null;
    if (still != null) activate(still, S.lang, {noScroll: !!opts.noScroll});
  }
  syncControls();
  pushUrl();
}

// -- the active row -----------------------------------------------------------------------------------------
const editor = (lang) => { const row = rowEl(S.active); return row && row.querySelector(`.wb-tgt[data-lang="${lang}"] textarea`); };
const statusSel = (lang) => { const row = rowEl(S.active); return row && row.querySelector(`.wb-tgt[data-lang="${lang}"] select.wb-status`); };
function dirty(id, lang) {
  if (id !== S.active) return false;
  const r = S.rows.get(id), ta = editor(lang), sel = statusSel(lang);
  if (!r || !r.t[lang] || !ta) return false;
  return ta.value !== r.t[lang].text || (sel && sel.value !== r.t[lang].status);
}
function autosize(ta) {
  // as tall as its text, and at least about as tall as the source (a translation is about as long)
  const src = ta.closest('.wb-row') && ta.closest('.wb-row').querySelector('.wb-src');
  const floor = Math.max(44, Math.min(src ? src.offsetHeight - 24 : 0, 220));
  ta.style.height = 'auto';
  ta.style.height = Math.max(ta.scrollHeight + 2, floor) + 'px';
}
function buildEditors(row, r) {
  row.classList.add('active');
  row.querySelectorAll('.wb-tgt').forEach((cell) => {
    const lang = cell.dataset.lang, t = r.t[lang];
    if (!t) return;
    const text = cell.querySelector('.wb-text');
    const wrap = document.createElement('div');
    wrap.className = 'wb-edit';
    const back = document.createElement('div');
    back.className = 'wb-backdrop';
    back.setAttribute('aria-hidden', 'true');
    const ta = document.createElement('textarea');
    ta.value = t.text;
    ta.lang = lang;
    ta.spellcheck = true;
    ta.setAttribute('aria-label', `${langName(lang)} translation of segment ${r.id}`);
    wrap.appendChild(back);
    wrap.appendChild(ta);
    text.replaceWith(wrap);
    paintBox(ta, []);
    const bar = document.createElement('div');
    bar.className = 'wb-actions';
    const sel = document.createElement('select');
    sel.className = 'wb-status';
    sel.title = 'status (Ctrl+Alt+T translated, R reviewed, A approved, D draft)';
    for (const s of JSON.parse(root.dataset.statuses)) {
      if (!STATUSES.includes(s) && s !== t.status) continue;
      const o = document.createElement('option'); o.value = s; o.textContent = s; sel.appendChild(o);
    }
    sel.value = t.status;
    bar.appendChild(sel);
    const buttons = [['confirm', '✓ Confirm', 'save, confirm and go to the next unconfirmed (Ctrl+Enter)'],
      ['save', 'Save', 'Ctrl+S'], ['undo', 'Undo', 'undo the last change (Ctrl+Shift+U)'],
      ['copy', 'Copy src', 'copy the source into the box (Ctrl+Insert)'], ['mt', 'MT', 'machine-translate this segment']];
    for (const [act, label, title] of buttons) {
      const b = document.createElement('button');
      b.type = 'button'; b.dataset.act = act; b.dataset.lang = lang; b.textContent = label; b.title = title;
      if (act === 'confirm') b.className = 'primary';
      if (act === 'mt' && S.mt[lang]) { b.textContent = 'Get an MT model'; b.title = S.mt[lang]; b.classList.add('wb-nomt'); }
      bar.appendChild(b);
    }
    const meta = cell.querySelector('.wb-meta');
    meta.before(bar);
    bar.appendChild(meta);
    ta.addEventListener('input', () => { autosize(ta); clearBackdrop(lang); });
    ta.addEventListener('focus', () => { S.lang = lang; if (S.panelFor !== `${r.id}:${lang}`) loadPanel(); pushUrl(); });
    ta.addEventListener('blur', (e) => {
      if (!row.classList.contains('active') || S.active !== r.id) return;  // the row is being closed
      const to = e.relatedTarget;
      if (to && to.closest && to.closest('.wb-row') === row && !to.matches('textarea')) return;  // a button of the row
      if (dirty(r.id, lang)) save(r.id, lang, {quiet: true});
    });
    sel.addEventListener('change', () => save(r.id, lang, {status: sel.value, keepFocus: true}));
    requestAnimationFrame(() => autosize(ta));
  });
}
function activate(id, lang, opts) {
  opts = opts || {};
  if (S.active === id && rowEl(id)) { focusTarget(lang || S.lang, opts); return; }
  const prev = S.active;
  if (prev != null && rowEl(prev)) {
    for (const l of S.langs) if (dirty(prev, l)) save(prev, l, {quiet: true});
    deactivate(prev);
  }
  const row = rowEl(id);
  if (!row) return;
  S.active = id;
  const r = S.rows.get(id);
  row._data = r;
  buildEditors(row, r);
  const first = lang && r.t[lang] ? lang : (S.langs.find((l) => r.t[l]) || null);
  S.lang = first;
  if (!opts.noScroll) scrollToRow(row);
  focusTarget(first, opts);
  loadPanel();
  pushUrl();
}
function deactivate(id) {
  const row = rowEl(id), r = S.rows.get(id);
  if (!row || !r) return;
  const msg = row.querySelector('.wb-rowmsg');
  const keep = msg ? [msg.textContent, msg.className] : null;
  row.classList.remove('active');
  if (S.active === id) S.active = null;
  row.innerHTML = r.html;
  if (keep && keep[1].includes('show')) { const m = row.querySelector('.wb-rowmsg'); m.textContent = keep[0]; m.className = keep[1]; }
}
function focusTarget(lang, opts) {
  const ta = lang && editor(lang);
  if (!ta || (opts && opts.noFocus)) return;
  ta.focus({preventScroll: true});
  if (!(opts && opts.keepCaret)) ta.selectionStart = ta.selectionEnd = ta.value.length;
}
function scrollToRow(row) {
  // keep the active row in view with some of what follows it: when it is above the view or too close to its
  // bottom, bring it to a quarter of the way down (or to the top, when it is taller than the rest)
  const head = headEl.offsetHeight, view = listEl.clientHeight - head;
  const top = row.offsetTop - head, bottom = top + row.offsetHeight, cur = listEl.scrollTop;
  const room = Math.min(view * 0.3, 140);
  if (top < cur || bottom > cur + view - room) {
    let want = top - view * 0.25;
    if (bottom - want > view) want = top - 4;
    listEl.scrollTop = Math.max(0, want);
  }
}
function applyRow(r, opts) {
  opts = opts || {};
  const row = rowEl(r.id);
  const old = S.rows.get(r.id);
  S.rows.set(r.id, r);
  if (!row) return;
  if (r.id !== S.active) {
    const msg = row.querySelector('.wb-rowmsg');
    const keep = msg && msg.className.includes('show') ? [msg.textContent, msg.className] : null;
    row.innerHTML = r.html;
    if (keep) { const m = row.querySelector('.wb-rowmsg'); m.textContent = keep[0]; m.className = keep[1]; }
    return;
  }
  // the active row keeps its boxes (and the caret); only what changed in the data is brought in
  row._data = r;
  const tmp = document.createElement('div');
  tmp.innerHTML = r.html;
  for (const lang of S.langs) {
    const t = r.t[lang];
    if (!t) continue;
    const ta = editor(lang), sel = statusSel(lang);
    if (opts.texts && opts.texts.includes(lang) && ta && ta.value !== t.text) { ta.value = t.text; autosize(ta); }
    if (sel && (!opts.texts || opts.texts.includes(lang))) sel.value = t.status;
    const meta = row.querySelector(`.wb-tgt[data-lang="${lang}"] .wb-meta`);
    const fresh = tmp.querySelector(`.wb-tgt[data-lang="${lang}"] .wb-meta`);
    if (meta && fresh) meta.replaceWith(fresh);
  }
  const num = row.querySelector('.wb-num .wb-lock'), freshNum = tmp.querySelector('.wb-num .wb-lock');
  if (num) num.remove();
  if (freshNum) row.querySelector('.wb-num .wb-para').after(freshNum);
  void old;
}

// -- saving -------------------------------------------------------------------------------------------------
async function save(id, lang, opts) {
  opts = opts || {};
  const r = S.rows.get(id);
  if (!r || !r.t[lang]) return null;
  const ta = id === S.active ? editor(lang) : null;
  const sel = id === S.active ? statusSel(lang) : null;
  const text = ta ? ta.value : r.t[lang].text;
  const status = opts.status || (sel ? sel.value : r.t[lang].status);
  const res = await call('save', {seg: id, lang, text, status, version: r.t[lang].version, confirm: !!opts.confirm,
                                  advance: opts.advance !== false, ids: S.order});
  if (res.error) {
    rowMsg(id, 'err', `${lang.toUpperCase()}: ${res.error}`, true);
    if (!opts.quiet) say(res.error, 'err');
    return res;
  }
  applyRow(res.row, {texts: ta && ta.value === res.row.t[lang].text ? [lang] : []});
  const s = res.saved;
  if (s.what === 'nothing changed') { if (!opts.quiet) rowMsg(id, 'info', `${lang.toUpperCase()}: no change to save`); }
  else rowMsg(id, 'ok', `${lang.toUpperCase()} ${s.what} by ${s.by} · ${hhmm(s.at)} · v${s.version}`);
  if (id === S.active && S.lang === lang && s.what !== 'nothing changed') loadPanel();
  if (opts.keepFocus && id === S.active) focusTarget(lang, {keepCaret: true});
  return res;
}
async function confirmAndNext(lang) {
  const id = S.active;
  if (id == null || !lang) return;
  for (const l of S.langs) if (l !== lang && dirty(id, l)) await save(id, l, {quiet: true});
  const res = await save(id, lang, {confirm: true});
  if (!res || res.error) return;
  if (res.page) renderPage(res.page, {noActivate: true});
  if (res.next != null) {
    if (!rowEl(res.next)) { say(`Segment #${res.next} is not on this page.`, 'info'); return; }
    activate(res.next, lang);
  } else {
    say(`Every ${langName(lang)} segment${S.filter.status !== 'all' || S.filter.query ? ' in this filter' : ''} is confirmed.`);
  }
}
async function setStatus(lang, status) {
  const id = S.active, sel = statusSel(lang);
  if (id == null || !sel) return;
  if (!STATUSES.includes(status)) { rowMsg(id, 'err', `${lang.toUpperCase()}: your role (${S.role}) may not set “${status}”.`); return; }
  sel.value = status;
  await save(id, lang, {status, keepFocus: true});
}
async function undo(lang) {
  const id = S.active, r = S.rows.get(id);
  if (id == null || !r || !r.t[lang]) return;
  const res = await call('undo', {seg: id, lang, version: r.t[lang].version});
  if (res.error) { rowMsg(id, 'err', res.error, true); return; }
  applyRow(res.row, {texts: [lang]});
  rowMsg(id, 'ok', `${lang.toUpperCase()} undone: back to “${res.row.t[lang].status}” (v${res.saved.version})`);
  loadPanel();
  focusTarget(lang);
}
function openModels() {
  const tab = [...document.querySelectorAll('button[role=tab]')].find((b) => b.textContent.trim() === 'Models');
  if (tab) tab.click();
}
async function machine(lang) {
  const id = S.active, r = S.rows.get(id);
  if (id == null || !r) return;
  if (S.mt[lang]) { say(S.mt[lang], 'err'); openModels(); return; }  // no model: where to get one
  if (dirty(id, lang)) { const s = await save(id, lang, {quiet: true}); if (s && s.error) return; }
  rowMsg(id, 'info', `${lang.toUpperCase()}: translating…`, true);
  const res = await call('mt', {seg: id, lang, version: S.rows.get(id).t[lang].version});
  if (res.error) { rowMsg(id, 'err', res.error, true); return; }
  applyRow(res.row, {texts: [lang]});
  rowMsg(id, 'ok', `${lang.toUpperCase()} ${res.saved.what}`);
  loadPanel();
  focusTarget(lang);
}
function insertAtCaret(lang, text) {
  const ta = editor(lang);
  if (!ta || !text) return;
  ta.focus({preventScroll: true});
  ta.setRangeText(text, ta.selectionStart, ta.selectionEnd, 'end');
  ta.dispatchEvent(new Event('input', {bubbles: true}));
}
async function structural(act) {
  const id = S.active;
  if (id == null) return;
  for (const l of S.langs) if (dirty(id, l)) await save(id, l, {quiet: true});
  let data = {seg: id};
  if (act === 'split') {
    const src = rowEl(id).querySelector('.wb-src');
    const sel = window.getSelection();
    let at = null;
    if (sel && sel.rangeCount && !sel.isCollapsed && src.contains(sel.anchorNode)) {
      const range = document.createRange();
      range.setStart(src, 0);
      range.setEnd(sel.getRangeAt(0).startContainer, sel.getRangeAt(0).startOffset);
      at = String(range.toString().length);
    }
    if (at === null) {
      at = window.prompt('Split before which words? (or select them in the source first)');
      if (!at) return;
    }
    data.at = at;
  }
  if (act === 'merge' && !window.confirm(`Merge the next segment into #${id}? (logged; the history keeps both)`)) return;
  const res = await call(act, data);
  if (res.error) { rowMsg(id, 'err', res.error, true); return; }
  S.active = null;
  renderPage(res, {noActivate: true});
  if (res.active != null) activate(res.active, S.lang);
  if (res.message) rowMsg(res.active, 'ok', res.message);
}
async function reloadActive() {
  const id = S.active;
  const res = await call('page', {seg: id, around: true});
  if (res.error) { say(res.error, 'err'); return; }
  S.active = null;
  renderPage(res, {noActivate: true});
  if (S.order.includes(id)) { activate(id, S.lang); rowMsg(id, 'info', 'Reloaded from the project file.'); }
}

// -- the panel ----------------------------------------------------------------------------------------------
let panelSeq = 0;
async function loadPanel() {
  const id = S.active, lang = S.lang;
  if (id == null || !lang) { panelEl.innerHTML = ''; return; }
  const seq = ++panelSeq;
  S.panelFor = `${id}:${lang}`;
  const res = await call('panel', {seg: id, lang});
  if (seq !== panelSeq || S.active !== id) return;
  if (res.error) { panelEl.textContent = res.error; return; }
  panelEl.innerHTML = res.html;
  S.findings = res.findings || [];
  paintBackdrop(lang);
}
//: inline codes in a target (``<g1>``, ``</g1>``, ``<x2/>``): shown as chips behind the box's text
const TAG_RE = /<(\/?)g(\d+)>|<([xbe])(\d+)\/>/g;
function clearBackdrop(lang) { paintBackdrop(lang, false); }  // typing: the QA places are stale, the tags are not
function paintBackdrop(lang, withFindings = true) {
  const ta = editor(lang);
  if (ta) paintBox(ta, withFindings ? S.findings : []);
}
function paintBox(ta, findings) {
  const back = ta.parentElement.querySelector('.wb-backdrop');
  back.textContent = '';
  const text = ta.value;
  const marks = [];
  for (const f of findings) if (f.end <= text.length) marks.push([f.start, f.end, 'qa ' + f.severity]);
  for (const m of text.matchAll(TAG_RE)) marks.push([m.index, m.index + m[0].length, 'tag']);
  marks.sort((a, b) => a[0] - b[0]);
  let pos = 0;
  for (const [start, end, cls] of marks) {
    if (start < pos) continue;
    back.appendChild(document.createTextNode(text.slice(pos, start)));
    const m = document.createElement('mark');
    m.className = cls;
    m.textContent = text.slice(start, end);
    back.appendChild(m);
    pos = end;
  }
  back.appendChild(document.createTextNode(text.slice(pos)));
}
panelEl.addEventListener('mousedown', (e) => { if (e.target.closest('.wb-ins, .wb-finding, button')) e.preventDefault(); });
panelEl.addEventListener('click', (e) => {
  const act = e.target.closest('button[data-act]');
  if (act) {
    if (act.dataset.act === 'split' || act.dataset.act === 'merge') structural(act.dataset.act);
    else if (act.dataset.act === 'reload') reloadActive();
    return;
  }
  const ins = e.target.closest('.wb-ins');
  if (ins) { insertAtCaret(S.lang, ins.dataset.insert); return; }
  const f = e.target.closest('.wb-finding[data-start]');
  if (f) {
    const ta = editor(S.lang);
    if (ta) { ta.focus({preventScroll: true}); ta.setSelectionRange(+f.dataset.start, +f.dataset.end); }
  }
});
function nth(kind, n) {
  const item = panelEl.querySelector(`.wb-ins[data-kind="${kind}"][data-n="${n}"]`);
  if (item) insertAtCaret(S.lang, item.dataset.insert);
  else if (S.active != null) rowMsg(S.active, 'info', `No ${kind === 'tm' ? 'TM match' : 'glossary term'} number ${n} here.`);
}

// -- clicks in the list -------------------------------------------------------------------------------------
rowsEl.addEventListener('mousedown', (e) => {
  const b = e.target.closest('button');
  if (b) e.preventDefault();  // keep the caret in the box while pressing a row button
});
rowsEl.addEventListener('click', (e) => {
  const row = e.target.closest('.wb-row');
  if (!row) return;
  const id = parseInt(row.dataset.seg, 10);
  const b = e.target.closest('button[data-act]');
  if (b && id === S.active) {
    const lang = b.dataset.lang || S.lang, act = b.dataset.act;
    if (act === 'confirm') confirmAndNext(lang);
    else if (act === 'save') save(id, lang, {keepFocus: true});
    else if (act === 'undo') undo(lang);
    else if (act === 'copy') { const ta = editor(lang); if (ta) { ta.value = S.rows.get(id).src; autosize(ta); ta.focus(); rowMsg(id, 'info', 'Source copied into the box (not saved yet).'); } }
    else if (act === 'mt') machine(lang);
    return;
  }
  if (id === S.active) {
    if (e.target.closest('.wb-src') && window.getSelection && !window.getSelection().isCollapsed) return;
    if (!e.target.closest('textarea, select, .wb-src')) focusTarget(S.lang);
    return;
  }
  const cell = e.target.closest('.wb-tgt');
  activate(id, cell ? cell.dataset.lang : null);
});

// -- keys -----------------------------------------------------------------------------------------------------
const visible = () => root.offsetParent !== null;
const focusedLang = () => { const a = document.activeElement; const c = a && a.closest && a.closest('.wb-row.active .wb-tgt'); return c ? c.dataset.lang : S.lang; };
function onKey(e) {
  if (!visible() || S.active == null) return;
  const mod = e.ctrlKey || e.metaKey, lang = focusedLang();
  let done = true;
  if (mod && e.key === 'Enter') confirmAndNext(lang);
  else if (mod && e.altKey && /^[1-9]$/.test(e.key)) nth('term', e.key);
  else if (mod && e.shiftKey && !e.altKey && /^Digit[1-9]$/.test(e.code)) nth('tm', e.code.slice(5));
  else if (mod && e.altKey && e.code === 'KeyT') setStatus(lang, 'translated');
  else if (mod && e.altKey && e.code === 'KeyR') setStatus(lang, 'reviewed');
  else if (mod && e.altKey && e.code === 'KeyA') setStatus(lang, 'approved');
  else if (mod && e.altKey && e.code === 'KeyD') setStatus(lang, 'draft');
  else if (mod && !e.shiftKey && !e.altKey && e.code === 'KeyS') save(S.active, lang, {keepFocus: true});
  else if (mod && e.shiftKey && e.code === 'KeyU') undo(lang);
  else if (mod && e.key === 'Insert') { const ta = editor(lang); if (ta) { ta.value = S.rows.get(S.active).src; autosize(ta); } }
  else if (e.altKey && !mod && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) move(e.key === 'ArrowDown' ? 1 : -1, lang);
  else done = false;
  if (done) { e.preventDefault(); e.stopPropagation(); }
}
document.addEventListener('keydown', onKey, true);
async function move(step, lang) {
  const i = S.order.indexOf(S.active) + step;
  if (i >= 0 && i < S.order.length) { activate(S.order[i], lang); return; }
  const page = S.page + step;
  if (page < 0 || page >= S.pages) { rowMsg(S.active, 'info', `This is the ${step > 0 ? 'last' : 'first'} segment.`); return; }
  for (const l of S.langs) if (dirty(S.active, l)) await save(S.active, l, {quiet: true});
  const res = await call('page', {page});
  if (res.error) { say(res.error, 'err'); return; }
  deactivate(S.active); S.active = null;
  renderPage(res, {noActivate: true});
  const target = step > 0 ? S.order[0] : S.order[S.order.length - 1];
  if (target != null) activate(target, lang);
}

// -- toolbar ----------------------------------------------------------------------------------------------------
const ctl = (name) => root.querySelector(`[data-f="${name}"]`);
function syncControls() {
  for (const k of ['status', 'origin', 'scope']) ctl(k).value = S.filter[k];
  const langSel = ctl('lang');
  if (langSel.options.length !== S.targets.length + 1) {
    langSel.innerHTML = '';
    const any = document.createElement('option'); any.value = 'all'; any.textContent = 'languages shown'; langSel.appendChild(any);
    for (const t of S.targets) { const o = document.createElement('option'); o.value = t.code; o.textContent = t.name; langSel.appendChild(o); }
  }
  langSel.value = S.filter.lang;
  ctl('qa').checked = !!S.filter.qa;
  if (document.activeElement !== ctl('query')) ctl('query').value = S.filter.query;
  const show = root.querySelector('.wb-show-langs');
  if (show.childElementCount !== S.targets.length) {
    show.innerHTML = '';
    for (const t of S.targets) {
      const lab = document.createElement('label');
      const cb = document.createElement('input'); cb.type = 'checkbox'; cb.value = t.code;
      lab.appendChild(cb); lab.appendChild(document.createTextNode(' ' + t.code.toUpperCase()));
      lab.title = `show ${t.name}`;
      show.appendChild(lab);
    }
  }
  show.querySelectorAll('input').forEach((cb) => { cb.checked = S.langs.includes(cb.value); });
  const mtl = toolsEl.querySelector('.wb-mt-langs');
  if (mtl.childElementCount !== S.targets.length) {
    mtl.innerHTML = '';
    for (const t of S.targets) {
      const lab = document.createElement('label');
      const cb = document.createElement('input'); cb.type = 'checkbox'; cb.value = t.code; cb.checked = !S.mt[t.code];
      lab.appendChild(cb); lab.appendChild(document.createTextNode(' ' + t.name));
      if (S.mt[t.code]) { lab.title = S.mt[t.code]; lab.classList.add('wb-nomt'); }
      mtl.appendChild(lab);
    }
  }
  const gaps = Object.entries(S.mt).filter(([, m]) => m);
  toolsEl.querySelector('.wb-mt-notes').textContent = gaps.map(([, m]) => m).join('\n');
  const missing = root.querySelector('.wb-mt-missing');
  missing.hidden = !gaps.length;
  missing.title = gaps.map(([, m]) => m).join('\n');
  missing.querySelector('.wb-mt-gap').textContent = gaps.length
    ? `⚠ No MT model for ${gaps.map(([l]) => langName(l)).join(', ')}` : '';
  root.querySelector('[data-act="prev-page"]').disabled = S.page <= 0;
  root.querySelector('[data-act="next-page"]').disabled = S.page >= S.pages - 1;
}
async function refilter(extra) {
  for (const l of S.langs) if (S.active != null && dirty(S.active, l)) await save(S.active, l, {quiet: true});
  const res = await call('page', Object.assign({page: 0, seg: S.active, around: true}, extra || {}));
  if (res.error) { say(res.error, 'err'); return; }
  const keep = S.active;
  if (keep != null) deactivate(keep);
  S.active = null;
  renderPage(res, {noActivate: true});
  if (keep != null && S.order.includes(keep)) activate(keep, S.lang, {noFocus: true});
}
function readFilter() {
  S.filter = {status: ctl('status').value, origin: ctl('origin').value, lang: ctl('lang').value,
              query: ctl('query').value, scope: ctl('scope').value, qa: ctl('qa').checked};
}
for (const k of ['status', 'origin', 'lang', 'scope', 'qa']) ctl(k).addEventListener('change', () => { readFilter(); refilter(); });
ctl('query').addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); readFilter(); refilter(); } });
root.querySelector('.wb-show-langs').addEventListener('change', () => {
  const chosen = [...root.querySelectorAll('.wb-show-langs input:checked')].map((cb) => cb.value);
  if (!chosen.length) { syncControls(); say('Show at least one target language.', 'info'); return; }
  S.langs = chosen;
  localStorage.setItem('wb-langs:' + S.project, chosen.join(','));
  refilter();
});
root.querySelector('.wb-toolbar').addEventListener('click', async (e) => {
  const b = e.target.closest('button[data-act]');
  if (!b) return;
  if (b.dataset.act === 'prev-page' || b.dataset.act === 'next-page') {
    const res = await call('page', {page: S.page + (b.dataset.act === 'next-page' ? 1 : -1)});
    if (res.error) { say(res.error, 'err'); return; }
    if (S.active != null) deactivate(S.active);
    S.active = null;
    renderPage(res, {noActivate: true});
    listEl.scrollTop = 0;
  } else if (b.dataset.act === 'tools') {
    toolsEl.hidden = !toolsEl.hidden;
  } else if (b.dataset.act === 'models') {
    openModels();
  }
});
toolsEl.addEventListener('click', async (e) => {
  const b = e.target.closest('button[data-act="pretranslate"]');
  if (!b) return;
  const langs = [...toolsEl.querySelectorAll('.wb-mt-langs input:checked')].map((cb) => cb.value);
  const res = await call('pretranslate', {mt_langs: langs});
  if (res.error) { say(res.error, 'err'); return; }
  say(res.message, 'info');
  if (window.wbJobs) window.wbJobs.refresh();
});
function qaNote(n) {
  noticeEl.textContent = n ? `QA check running: ${n} target${n === 1 ? '' : 's'} still to check; the list fills in as they are done.` : '';
  noticeEl.hidden = !n;
}

// -- seeing each other ------------------------------------------------------------------------------------------
async function poll() {
  if (!S.project || pending > 0) return;
  const res = await call('poll', {cursor: S.cursor, ids: S.order});
  if (res.error) return;
  S.cursor = res.cursor || S.cursor;
  if (res.page) { renderPage(res.page, {noScroll: true}); return; }
  if (res.head) { const h = document.querySelector('#proj-head'); if (h) h.innerHTML = res.head; }
  if (res.qa_pending !== undefined) { const was = !noticeEl.hidden; qaNote(res.qa_pending); if (was && !res.qa_pending) refilter(); }
  for (const r of res.rows || []) {
    const by = (res.by || {})[r.id] || [];
    const mine = by.length === 1 && by[0] === S.user;
    if (r.id === S.active) {
      const old = S.rows.get(r.id), theirs = [];
      for (const l of S.langs) if (old && old.t[l] && r.t[l] && r.t[l].version !== old.t[l].version) theirs.push(l);
      if (!theirs.length) continue;
      const typed = theirs.filter((l) => dirty(r.id, l));
      if (typed.length) {
        rowMsg(r.id, 'err', `${by.join(', ')} saved a newer ${typed.map((l) => l.toUpperCase()).join('/')} — your text is kept; Reload to see theirs.`, true);
        continue;
      }
      applyRow(r, {texts: theirs});
      if (!mine) rowMsg(r.id, 'info', `Updated: ${by.join(', ')} saved ${theirs.map((l) => l.toUpperCase()).join('/')}.`);
    } else {
      applyRow(r);
      if (!mine) { const row = rowEl(r.id); if (row) { row.classList.add('wb-flash'); setTimeout(() => row.classList.remove('wb-flash'), 2500); } }
    }
  }
  for (const id of S.order) {
    const row = rowEl(id);
    if (!row) continue;
    const label = (res.locks || {})[id] || '';
    let chip = row.querySelector('.wb-num .wb-lock');
    if (!label) { if (chip) chip.remove(); continue; }
    if (!chip) { chip = document.createElement('span'); chip.className = 'wb-lock'; row.querySelector('.wb-num .wb-para').after(chip); }
    chip.textContent = '✎ ' + label.replace(/ (is|are) editing$/, ''); chip.title = label;
  }
}
let ticks = 0;
S.timers.push(setInterval(() => { ticks++; if (!document.hidden || ticks % 6 === 0) poll(); }, POLL_MS));
window.addEventListener('pagehide', () => { call('leave'); });

// -- layout, URL, start -------------------------------------------------------------------------------------------
function fit() {
  if (!visible()) return;
  const top = listEl.getBoundingClientRect().top;
  const h = Math.max(240, window.innerHeight - top - 6);
  listEl.style.height = h + 'px';
  panelEl.style.maxHeight = h + 'px';
}
window.addEventListener('resize', fit);
S.timers.push(setInterval(fit, 1000));
function pushUrl() {
  if (!S.project) return;
  const p = new URLSearchParams();
  p.set('project', S.project);
  if (S.active != null) p.set('seg', S.active);
  if (S.filter.status !== 'all') p.set('status', S.filter.status);
  if (S.filter.origin !== 'all') p.set('origin', S.filter.origin);
  if (S.filter.lang !== 'all') p.set('lang', S.filter.lang);
  if (S.filter.query) p.set('q', S.filter.query);
  if (S.filter.scope !== 'source and target') p.set('scope', S.filter.scope);
  if (S.filter.qa) p.set('qa', '1');
  if (S.langs.length && S.langs.length !== S.targets.length) p.set('show', S.langs.join(','));
  const url = location.pathname + '?' + p.toString() + location.hash;
  if (url !== location.pathname + location.search + location.hash) history.replaceState(history.state, '', url);
}
async function boot(project, seg) {
  if (project !== undefined) S.project = project;
  if (!S.project) S.project = localStorage.getItem('wb-project') || '';  // the project this browser had open
  if (!S.langs.length && S.project) S.langs = (localStorage.getItem('wb-langs:' + S.project) || '').split(',').filter(Boolean);
  let res = await call('boot', {seg: seg !== undefined ? seg : S.seg});
  if (res.error && project === undefined && !params.get('project') && S.project) {  // a remembered one, gone
    S.project = ''; S.langs = [];
    res = await call('boot', {seg: null});
  }
  if (res.error) { say(res.error, 'err'); rowsEl.textContent = res.error; return; }
  localStorage.setItem('wb-project', res.project.key);
  S.project = res.project.key;
  S.targets = res.project.targets;
  S.sourceName = `Source (${res.project.source.toUpperCase()})`;
  S.mt = res.mt || {};
  S.user = res.user;
  S.role = res.role || '';
  if (res.statuses) STATUSES = res.statuses;
  if (res.login) { const b = document.querySelector('#author'); if (b) b.style.display = 'none'; }
  S.active = null;
  panelEl.innerHTML = '';
  renderPage(res, {noActivate: true});
  fit();
  if (res.active != null && S.order.includes(res.active)) activate(res.active, S.filter.lang !== 'all' ? S.filter.lang : null);
}
window.wbDesk = {
  state: S,
  open: (key) => { if (S.active != null) deactivate(S.active); S.active = null; S.langs = []; S.seg = null;
                   S.filter = {status: 'all', origin: 'all', lang: 'all', query: '', scope: 'source and target', qa: false};
                   return boot(key, null); },
  refresh: () => refilter(),
  refreshModels: async () => {  // the Editor tab is shown again: a model may have been installed meanwhile
    if (!S.project) return;
    const res = await call('models', {});
    if (res.error || !res.mt) return;
    S.mt = res.mt;
    syncControls();
    root.querySelectorAll('button[data-act="mt"]').forEach((b) => {
      const gap = S.mt[b.dataset.lang];
      b.textContent = gap ? 'Get an MT model' : 'MT';
      b.title = gap || 'machine-translate this segment';
      b.classList.toggle('wb-nomt', !!gap);
    });
    toolsEl.querySelectorAll('.wb-mt-langs label').forEach((lab) => {
      const cb = lab.querySelector('input'), gap = S.mt[cb.value];
      lab.classList.toggle('wb-nomt', !!gap); lab.title = gap || '';
    });
  },
  poll,
  stop: () => { S.timers.forEach(clearInterval); document.removeEventListener('keydown', onKey, true); },
};
const ab = authorBox();
if (ab) {
  if (!ab.value && localStorage.getItem('wb-author')) { ab.value = localStorage.getItem('wb-author'); ab.dispatchEvent(new Event('input', {bubbles: true})); }
  ab.addEventListener('change', () => localStorage.setItem('wb-author', ab.value.trim()));
  ab.addEventListener('input', () => localStorage.setItem('wb-author', ab.value.trim()));
}
boot();
