// Starts GOV.UK Frontend and MoJ Frontend components. Pages work without it; it only adds behaviour.
import { initAll } from '/govuk-frontend/govuk-frontend.min.js';
import { initAll as initMoj } from '/moj-frontend/moj-frontend.min.js';

initAll();
initMoj();

// The portal's timeout warning (the GOV.UK timeout pattern): a modal dialog two minutes before an idle session would
// end, with a countdown, "Stay signed in" (which tells the server there is activity) and "Sign out". When time runs
// out the browser goes to the sign-in page, which says why. Without JavaScript the session simply ends.
const warning = document.getElementById('portal-timeout-warning');
if (warning && typeof warning.showModal === 'function') {
  const warnBefore = Number(warning.dataset.warnBefore) || 120;
  const countdown = warning.querySelector('[data-countdown]');
  const form = warning.querySelector('form');
  let endsAt = Date.now() + Number(warning.dataset.secondsLeft) * 1000;
  let warnTimer;
  let tick;
  const remaining = () => Math.max(0, Math.round((endsAt - Date.now()) / 1000));
  const show = () => {
    if (!warning.open) warning.showModal();
    const update = () => {
      const seconds = remaining();
      if (countdown) countdown.textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
      if (seconds === 0) window.location.href = warning.dataset.signedOutUrl;
    };
    update();
    clearInterval(tick);
    tick = setInterval(update, 1000);
  };
  const schedule = () => {
    clearTimeout(warnTimer);
    warnTimer = setTimeout(show, Math.max(0, (remaining() - warnBefore) * 1000));
  };
  schedule();
  form?.addEventListener('submit', async (event) => {
    // Only "Stay signed in" is handled here; "Sign out" posts as normal.
    if (event.submitter && !event.submitter.hasAttribute('data-timeout-stay')) return;
    event.preventDefault();
    const response = await fetch(warning.dataset.extendUrl, { method: 'POST', body: new URLSearchParams(new FormData(form)), headers: { accept: 'application/json' }, credentials: 'same-origin' });
    if (!response.ok) {
      window.location.href = warning.dataset.signedOutUrl;
      return;
    }
    const { secondsLeft } = await response.json();
    endsAt = Date.now() + secondsLeft * 1000;
    clearInterval(tick);
    warning.close();
    schedule();
  });
}
