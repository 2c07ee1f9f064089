// The jobs bar above the tabs: the background jobs of the open project and the caller's own, with progress,
// ETA and Cancel. Asks every 2 s while a job runs, every 10 s otherwise (and at once after a job is started).
if (window.wbJobs && window.wbJobs.stop) window.wbJobs.stop();
const box = element.querySelector('.wb-jobs');
const dismissed = new Set(JSON.parse(sessionStorage.getItem('wb-jobs-dismissed') || '[]'));
let active = 0, last = 0, busy = false;
const cancelling = new Set();  // jobs whose Cancel was clicked: they say so until they have stopped
function markCancelling() {
  box.querySelectorAll('.wb-jcancel').forEach((b) => {
    if (cancelling.has(b.dataset.job)) { b.disabled = true; b.textContent = 'Cancelling…'; }
  });
}
const author = () => { const b = document.querySelector('#author textarea, #author input'); return (b && b.value.trim()) || localStorage.getItem('wb-author') || ''; };
const project = () => (window.wbDesk && window.wbDesk.state.project) || new URLSearchParams(location.search).get('project') || '';
async function refresh() {
  if (busy) return;
  busy = true;
  try {
    const res = await server.jobs({project: project(), author: author(), dismissed: [...dismissed]});
    if (res && res.html !== undefined) {
      if (box.innerHTML !== res.html) box.innerHTML = res.html;
      markCancelling();
      const before = active;
      active = res.active || 0;
      if (before && !active && window.wbDesk) window.wbDesk.poll();
    }
  } finally { busy = false; last = Date.now(); }
}
box.addEventListener('click', async (e) => {
  const c = e.target.closest('.wb-jcancel');
  if (c) {
    cancelling.add(c.dataset.job);
    markCancelling();
    const r = await server.cancel_job({job: c.dataset.job, author: author()});
    if (r && r.error) { cancelling.delete(c.dataset.job); alert(r.error); }
    refresh();
    return;
  }
  const d = e.target.closest('.wb-jdismiss');
  if (d) { dismissed.add(d.dataset.job); sessionStorage.setItem('wb-jobs-dismissed', JSON.stringify([...dismissed])); refresh(); }
});
const timer = setInterval(() => { if (Date.now() - last >= (active ? 1800 : 9500)) refresh(); }, 500);
window.wbJobs = {refresh, stop: () => clearInterval(timer)};
refresh();
