// Starts GOV.UK Frontend and MoJ Frontend components. Pages work without it; it only adds behaviour.
import { initAll } from '/govuk-frontend/govuk-frontend.min.js';
import { initAll as initMoj } from '/moj-frontend/moj-frontend.min.js';

initAll();
initMoj();
