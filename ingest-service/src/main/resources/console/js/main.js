// Entry point: the configuration, the sign-in round trip, then the console.
import { startConsole } from './app.js';
import { $ } from './dom.js';
import { completeSignIn, currentSession, isSignInResponse, signOut, startSignIn } from './oidc.js';

let running = null;

function showSignIn(message) {
  $('app').hidden = true;
  for (const id of ['who', 'sign-out', 'live-status']) $(id).hidden = true;
  $('signin').hidden = false;
  $('signin-message').textContent = message ?? '';
  $('login').disabled = false;
}

function showConsole(session) {
  $('signin').hidden = true;
  $('app').hidden = false;
  $('who').textContent = `${session.name ?? session.agentId} · ${session.tenantId ?? 'no tenant'}`;
  for (const id of ['who', 'sign-out', 'live-status']) $(id).hidden = false;
  running = startConsole({
    session,
    onSignedOut: (message) => {
      running = null;
      signOut();
      showSignIn(message);
    },
  });
}

async function boot() {
  let config;
  try {
    const response = await fetch('config.json', { cache: 'no-store' });
    if (!response.ok) throw new Error(`config.json answered ${response.status}`);
    config = await response.json();
  } catch (error) {
    showSignIn(`The console is not configured: ${error.message}`);
    $('login').disabled = true;
    return;
  }
  let message = '';
  if (isSignInResponse(location.href)) {
    try {
      await completeSignIn(config, location.href);
    } catch (error) {
      message = error.message;
    } finally {
      // The code and state leave the address bar (and the history) whatever happened.
      history.replaceState(null, '', location.pathname);
    }
  }
  $('login').addEventListener('click', async () => {
    $('login').disabled = true;
    $('signin-message').textContent = '';
    try {
      await startSignIn(config, location.href, (url) => location.assign(url));
    } catch (error) {
      $('signin-message').textContent = `Sign-in could not start: ${error.message}`;
      $('login').disabled = false;
    }
  });
  $('sign-out').addEventListener('click', () => {
    running?.stop();
    running = null;
    signOut();
    showSignIn('You are signed out.');
    $('login').focus();
  });
  const session = currentSession();
  if (session) showConsole(session);
  else showSignIn(message);
}

boot();
