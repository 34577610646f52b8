// Registers the service worker (the site's shell and the member's events for offline
// reading), tells it which page was visited so that "My events" has its event pages kept,
// and says when the page shown is a copy kept on the device or the network is gone.

const worker = navigator.serviceWorker;

if (worker) {
  // The worker lives at the root so that it controls every page (pwa.service_worker).
  worker.register("/sw.js", { scope: "/" }).catch(() => {
    // Without a worker the site works as before, with a connection.
  });
  worker.ready.then((registration) => {
    if (!navigator.onLine || !registration.active) {
      return;
    }
    const links = Array.from(document.querySelectorAll("main a[href]"), (link) => link.href);
    registration.active.postMessage({ type: "visited", url: location.href, links });
  });
}

// The worker marks a kept copy with a Server-Timing entry, which navigation timing reports.
const navigation = performance.getEntriesByType("navigation")[0];
const isSavedCopy = Boolean(
  navigation && (navigation.serverTiming || []).some((entry) => entry.name === "saved-copy"),
);

function showNotice() {
  const template = document.getElementById("pwa-notice");
  const main = document.getElementById("main");
  const offline = !navigator.onLine;
  let notice = document.querySelector("[data-pwa-notice]");
  if (!offline && !isSavedCopy) {
    if (notice) {
      notice.remove();
    }
    return;
  }
  if (!template || !main) {
    return;
  }
  if (!notice) {
    main.prepend(template.content.cloneNode(true));
    notice = document.querySelector("[data-pwa-notice]");
  }
  notice.querySelector("[data-when=offline]").hidden = !offline;
  notice.querySelector("[data-when=saved-copy]").hidden = !isSavedCopy;
}

showNotice();
window.addEventListener("online", showNotice);
window.addEventListener("offline", showNotice);
