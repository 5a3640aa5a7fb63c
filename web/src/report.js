// report.js — the public report form: no login; the server rate-limits by
// address and answers with a receipt number the reporter can check later.
const $ = (s) => document.querySelector(s);

async function post(path, body) {
  const r = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, data: await r.json().catch(() => ({})) };
}

$('#report-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const body = {
    category: $('#r-category').value,
    url: $('#r-url').value || undefined,
    body: $('#r-body').value,
    contact: $('#r-contact').value || undefined,
  };
  const { status, data } = await post('/api/v1/reports', body);
  const out = $('#receipt');
  out.hidden = false;
  if (status === 201) {
    out.className = 'card ok';
    out.innerHTML = '';
    out.append('Thank you. Your receipt number is ');
    const b = document.createElement('strong');
    b.id = 'receipt-number';
    b.textContent = data.receipt;
    out.append(b, '. Keep it to check the status below.');
    $('#report-form').reset();
    $('#s-receipt').value = data.receipt;
  } else {
    out.className = 'card bad';
    out.textContent = (data.error && data.error.message) || `Could not send (${status}).`;
  }
});

$('#status-form').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const r = await fetch('/api/v1/reports/status/' + encodeURIComponent($('#s-receipt').value.trim()));
  const d = await r.json().catch(() => ({}));
  $('#status-out').textContent = r.ok
    ? `Status: ${d.status} (received ${new Date(d.created_at * 1000).toLocaleString()})`
    : (d.error && d.error.message) || 'Not found.';
  $('#status-out').id = 'status-out';
});
