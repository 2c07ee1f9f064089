// Shared by the editor's browser views (put before each view's own code in its js_on_load).
// A message in the page's message line (#wb-msg): text only, never markup.
function say(text, kind) {
  const box = document.querySelector('#wb-msg');
  if (!box) return;
  box.innerHTML = '';
  const d = document.createElement('div');
  d.className = 'msg ' + (kind || 'ok');
  d.textContent = text;
  box.appendChild(d);
}
