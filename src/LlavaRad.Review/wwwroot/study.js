// The viewer: zoom, window (level/width as an exact linear transfer), and the attention heatmap overlay.
(function () {
  const frame = document.querySelector('[data-role=frame]');
  const image = document.querySelector('img[data-role=frontal]');
  const canvas = document.querySelector('canvas[data-role=heatmap]');
  const control = name => document.querySelector(`[data-control=${name}]`);
  if (!frame || !image || !canvas) return;

  function applyZoom() {
    const zoom = Number(control('zoom').value);
    image.style.width = canvas.style.width = `${zoom * 100}%`;
  }
  function applyWindow() {
    const level = Number(control('level').value) / 255, width = Number(control('width').value) / 255;
    const slope = 1 / width, intercept = -(level - width / 2) / width;
    document.querySelectorAll('#window feFuncR, #window feFuncG, #window feFuncB').forEach(f => {
      f.setAttribute('slope', String(slope));
      f.setAttribute('intercept', String(intercept));
    });
  }
  function applyHeatmap() {
    canvas.style.display = control('heatmap').checked ? 'block' : 'none';
    canvas.style.opacity = control('opacity').value;
  }
  // Grid values sum to 1; colour each patch by its share of the maximum (transparent where the text did not look).
  async function drawHeatmap() {
    const response = await fetch(canvas.dataset.src, { credentials: 'same-origin' });
    if (!response.ok) return;
    const grid = await response.json();
    canvas.width = grid.columns;
    canvas.height = grid.rows;
    const context = canvas.getContext('2d');
    const pixels = context.createImageData(grid.columns, grid.rows);
    const max = Math.max(...grid.values) || 1;
    grid.values.forEach((value, i) => {
      const t = value / max;
      pixels.data.set([255, Math.round(255 * (1 - t)), 0, Math.round(255 * t)], i * 4);
    });
    context.putImageData(pixels, 0, 0);
    canvas.dataset.loaded = 'true';
  }
  ['zoom'].forEach(n => control(n).addEventListener('input', applyZoom));
  ['level', 'width'].forEach(n => control(n).addEventListener('input', applyWindow));
  ['heatmap', 'opacity'].forEach(n => control(n).addEventListener('input', applyHeatmap));
  applyWindow();
  applyHeatmap();
  drawHeatmap();
})();
