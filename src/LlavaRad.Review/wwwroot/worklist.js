// Keeps the worklist current: fetches freshly ordered rows (same filters) and swaps them in.
(function () {
  const list = document.getElementById('worklist');
  if (!list) return;
  const refresh = Number(list.dataset.refreshMs) || 5000;
  async function update() {
    try {
      const response = await fetch(list.dataset.rowsUrl, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
      if (response.ok) list.innerHTML = await response.text(); // server-rendered and encoded
    } catch (e) { /* offline for a moment: try again next time */ }
    setTimeout(update, refresh);
  }
  setTimeout(update, refresh);
})();
