// Gatehouse console: small enhancements over pages that work without script.
'use strict';

// Times are rendered in UTC; show them in the reader's time zone.
for (const el of document.querySelectorAll('time[datetime]')) {
  const d = new Date(el.getAttribute('datetime'));
  if (Number.isNaN(d.getTime())) continue;
  const pad = (n) => String(n).padStart(2, '0');
  el.title = el.textContent;
  el.textContent = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// Destructive forms ask first.
document.addEventListener('submit', (event) => {
  const form = event.target;
  const message = form instanceof HTMLFormElement ? form.dataset.confirm : undefined;
  if (message && !window.confirm(message)) event.preventDefault();
});

// Bulk selection on the users table; the count's words are the page's (data-count-none, -one, -many with {{n}}).
for (const form of document.querySelectorAll('form[data-bulk]')) {
  const all = form.querySelector('[data-select-all]');
  const boxes = () => [...form.querySelectorAll('input[name="ids"]')];
  const submit = form.querySelector('[data-bulk-submit]');
  const count = form.querySelector('[data-bulk-count]');
  const update = () => {
    const picked = boxes().filter((b) => b.checked).length;
    if (submit) submit.disabled = picked === 0;
    if (count) count.textContent = (picked === 0 ? form.dataset.countNone : picked === 1 ? form.dataset.countOne : form.dataset.countMany?.replaceAll('{{n}}', String(picked))) ?? '';
    if (all) {
      all.checked = picked > 0 && picked === boxes().length;
      all.indeterminate = picked > 0 && picked < boxes().length;
    }
  };
  all?.addEventListener('change', () => {
    for (const b of boxes()) b.checked = all.checked;
    update();
  });
  form.addEventListener('change', (event) => {
    if (event.target !== all) update();
  });
  update();
}
