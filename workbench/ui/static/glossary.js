// The Glossary tab: the concept list (search, best matches first) and the concept form (every term with its own
// status and "needs review" flag). Runs as the js_on_load of a gr.HTML; `server.gloss(data)` answers. Text is
// put in with textContent / input values, or arrives escaped from the server.
if (window.wbGloss && window.wbGloss.stop) window.wbGloss.stop();
const root = element.querySelector('.g-desk');
const listEl = root.querySelector('.g-table');
const infoEl = root.querySelector('.g-info');
const termsEl = root.querySelector('.g-terms');
const noteEl = root.querySelector('.g-note');
const $ = (sel) => root.querySelector(sel);
const G = {query: '', current: null, isNew: false, canEdit: false, statuses: ['preferred', 'admitted', 'deprecated', 'forbidden'],
           langs: ['en', 'ru', 'km']};
const author = () => { const b = document.querySelector('#author textarea, #author input'); return (b && b.value.trim()) || localStorage.getItem('wb-author') || ''; };
let chain = Promise.resolve();
function call(action, data) {
  const p = chain.then(() => server.gloss(Object.assign({action, author: author()}, data || {})))
    .then((r) => r || {error: 'No answer from the server.'}, () => ({error: 'The server could not be reached; nothing was saved.'}));
  chain = p.then(() => {});
  return p;
}
function showList(res) {
  listEl.innerHTML = res.html;
  infoEl.textContent = res.info;
  if (res.statuses) G.statuses = res.statuses;
  if (res.langs) G.langs = res.langs;
  G.canEdit = !!res.can_edit;
  const shipped = root.querySelector('.g-shipped');
  shipped.hidden = !res.notice;
  shipped.querySelector('.g-shipped-text').textContent = res.notice || '';
  shipped.querySelector('button').disabled = !G.canEdit;
  markCurrent();
  editable();
}
function markCurrent() {
  listEl.querySelectorAll('tr[data-id]').forEach((tr) => tr.classList.toggle('current', !!G.current && tr.dataset.id === G.current.id));
}
function editable() {
  root.querySelectorAll('.g-form input, .g-form select, .g-form button').forEach((el) => {
    if (el.id === 'g-id') el.disabled = !G.canEdit || !G.isNew; else el.disabled = !G.canEdit;
  });
  noteEl.textContent = G.canEdit ? '' : 'Only reviewers and admins may edit the glossary.';
}
async function search(q) {
  G.query = q;
  const res = await call('search', {query: q});
  if (res.error) { say(res.error, 'err'); return; }
  showList(res);
}
function termRow(t) {
  const row = document.createElement('div');
  row.className = 'g-trow';
  row.dataset.orig = t.orig || '';
  const lang = document.createElement('select');
  lang.className = 'g-lang';
  for (const l of G.langs) { const o = document.createElement('option'); o.value = l; o.textContent = l.toUpperCase(); lang.appendChild(o); }
  lang.value = t.lang;
  const text = document.createElement('input');
  text.className = 'g-text'; text.value = t.text || ''; text.lang = t.lang; text.placeholder = 'term';
  text.setAttribute('aria-label', `${t.lang.toUpperCase()} term`);
  const status = document.createElement('select');
  status.className = 'g-status';
  for (const s of G.statuses) { const o = document.createElement('option'); o.value = s; o.textContent = s; status.appendChild(o); }
  status.value = t.status || 'preferred';
  const review = document.createElement('label');
  review.className = 'g-review';
  review.title = 'the form is not attested by its source yet; a reviewer clears this after checking it';
  const cb = document.createElement('input'); cb.type = 'checkbox'; cb.checked = !!t.needs_review; cb.className = 'g-needs';
  review.appendChild(cb); review.appendChild(document.createTextNode(' needs review'));
  const del = document.createElement('button');
  del.type = 'button'; del.className = 'g-del'; del.textContent = '×'; del.title = 'remove this term (on Save)';
  del.addEventListener('click', () => row.remove());
  lang.addEventListener('change', () => { text.lang = lang.value; });
  if (t.source) row.title = 'source: ' + t.source;
  row.append(lang, text, status, review, del);
  return row;
}
function fillForm(c, isNew) {
  G.current = c; G.isNew = isNew;
  $('#g-id').value = isNew ? '' : c.id;
  $('#g-id').placeholder = isNew ? 'made from the English term' : '';
  $('#g-domain').value = c.domain || '';
  $('#g-def').value = c.definition || '';
  termsEl.innerHTML = '';
  for (const t of c.terms) termsEl.appendChild(termRow(Object.assign({orig: isNew ? '' : t.text}, t)));
  root.querySelector('.g-formhead').textContent = isNew ? 'New concept' : `Concept ${c.id}`;
  $('#g-delete').hidden = isNew;
  markCurrent();
  editable();
}
async function open(id) {
  const res = await call('concept', {id});
  if (res.error) { say(res.error, 'err'); return; }
  fillForm(res.concept, false);
}
function newConcept() {
  fillForm({id: '', domain: '', definition: '', terms: G.langs.map((l) => ({lang: l, text: '', status: 'preferred', needs_review: false}))}, true);
  const en = termsEl.querySelector('.g-text');
  if (en) en.focus();
}
function formData() {
  return {new: G.isNew, id: $('#g-id').value.trim(), domain: $('#g-domain').value, definition: $('#g-def').value,
          terms: [...termsEl.querySelectorAll('.g-trow')].map((r) => ({lang: r.querySelector('.g-lang').value,
            text: r.querySelector('.g-text').value, status: r.querySelector('.g-status').value,
            needs_review: r.querySelector('.g-needs').checked, orig: r.dataset.orig}))};
}
async function save() {
  const res = await call('save', {concept: formData(), query: G.query});
  if (res.error) { say(res.error, 'err'); return; }
  showList(res);
  fillForm(res.concept, false);
  say(res.message);
  if (window.wbDesk) window.wbDesk.refresh();
}
async function del() {
  if (!G.current || G.isNew) return;
  if (!window.confirm(`Delete concept ${G.current.id}? (the glossary history keeps it)`)) return;
  const res = await call('delete', {id: G.current.id, query: G.query});
  if (res.error) { say(res.error, 'err'); return; }
  showList(res);
  newConcept();
  say(res.message);
  if (window.wbDesk) window.wbDesk.refresh();
}
listEl.addEventListener('click', (e) => { const tr = e.target.closest('tr[data-id]'); if (tr) open(tr.dataset.id); });
listEl.addEventListener('keydown', (e) => { const tr = e.target.closest('tr[data-id]'); if (tr && e.key === 'Enter') open(tr.dataset.id); });
$('#g-query').addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); search($('#g-query').value.trim()); } });
$('#g-new').addEventListener('click', newConcept);
$('#g-save').addEventListener('click', save);
$('#g-delete').addEventListener('click', del);
root.querySelector('.g-add').addEventListener('click', (e) => {
  const b = e.target.closest('button[data-lang]');
  if (!b) return;
  const row = termRow({lang: b.dataset.lang, text: '', status: 'admitted', needs_review: false});
  termsEl.appendChild(row);
  row.querySelector('.g-text').focus();
});
termsEl.addEventListener('change', async (e) => {
  if (!G.isNew || $('#g-id').value.trim() || !e.target.matches('.g-text')) return;
  const row = e.target.closest('.g-trow');
  if (row.querySelector('.g-lang').value !== 'en' || !e.target.value.trim()) return;
  const res = await call('new_id', {english: e.target.value});
  if (!res.error) $('#g-id').placeholder = res.id;
});
window.wbGloss = {search, open, refresh: () => search(G.query), stop: () => {}};
search('');
newConcept();
root.querySelector('#g-take-shipped').addEventListener('click', async () => {
  const res = await call('take_shipped', {query: G.query});
  if (res.error) { say(res.error, 'err'); return; }
  showList(res);
  say(res.message);
});
