// A map of the places listed on the page (networks, venues, events): one marker per place.
// The list beside it says the same, so the map stays out of the keyboard order and of the
// accessibility tree; without JavaScript it simply stays hidden.
// Leaflet (vendor/leaflet/leaflet.js) is loaded before this module and exposes window.L.

const L = window.L;
let map = null;

function draw() {
  if (map) {
    map.remove();
    map = null;
  }
  const container = document.getElementById("places-map");
  const data = document.getElementById("map-data");
  if (!L || !container || !data) {
    return;
  }
  const points = JSON.parse(data.textContent);
  if (!points.length) {
    return;
  }
  container.hidden = false;
  const attribution = container.parentElement.querySelector(".map-attribution");
  if (attribution) {
    attribution.hidden = false;
  }
  map = L.map(container, {
    keyboard: false,
    attributionControl: false,
    scrollWheelZoom: false,
  });
  L.tileLayer(container.dataset.tileUrl, { maxZoom: 18 }).addTo(map);
  const bounds = [];
  for (const point of points) {
    const label = document.createElement("span");
    label.textContent = point.city ? `${point.name} — ${point.city}` : point.name;
    L.marker([point.lat, point.lon], { keyboard: false, title: point.name, alt: point.name })
      .bindTooltip(label)
      .on("click", () => window.location.assign(point.url))
      .addTo(map);
    bounds.push([point.lat, point.lon]);
  }
  map.fitBounds(bounds, { padding: [32, 32], maxZoom: 12 });
  // Zoom buttons are links: keep them out of the tab order of a map hidden from assistive tech.
  for (const element of container.querySelectorAll("a, button, [tabindex]")) {
    element.setAttribute("tabindex", "-1");
  }
}

draw();
// htmx replaces the results (and the map data) when the filters change.
document.body.addEventListener("htmx:afterSettle", draw);
