// The events map: clustered markers (Leaflet.markercluster) over country outlines served by the app
// (no tile server), beside a timeline of the same events with a time slider. Data comes from the
// JSON API (the page's twin, /api/map with the same filters); every text from it is set with
// textContent, never as HTML.
(function () {
  "use strict";
  var TYPE_COLORS = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Protests": "#2ca02c",
    "Riots": "#8c564b",
    "Strategic developments": "#1f77b4"
  };
  var OTHER = "#7f7f7f";
  var LIST_MAX = 300;

  function colorFor(type) { return TYPE_COLORS[type] || OTHER; }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function popup(p) {
    var box = el("div", null, "popup");
    var a = el("a", p.title || "event");
    a.setAttribute("href", "/events/" + encodeURIComponent(p.id));
    box.appendChild(a);
    var parts = [p.date || "undated", p.event_type, p.status];
    if (p.fatalities) { parts.push(p.fatalities + " killed"); }
    box.appendChild(el("div", parts.filter(Boolean).join(" · "), "meta"));
    var actors = [p.actor1, p.actor2].filter(Boolean).join(" vs ");
    if (actors) { box.appendChild(el("div", actors, "meta")); }
    return box;
  }

  // an event's marker: a dot in its type's colour with its place's name beside it
  function markerIcon(p) {
    var box = el("div", null, "ev-marker");
    var dot = el("span", null, "ev-dot");
    dot.style.backgroundColor = colorFor(p.event_type);  // CSSOM, allowed by the CSP (no style attribute)
    box.appendChild(dot);
    box.appendChild(el("span", p.location || "", "ev-label"));
    return L.divIcon({ html: box, className: "ev-icon", iconSize: [14, 14], iconAnchor: [7, 7] });
  }

  // a cluster: its number of events, and the place's name when they all happened there
  function clusterIcon(cluster) {
    var children = cluster.getAllChildMarkers();
    var places = {};
    children.forEach(function (m) { places[m.options.place || ""] = true; });
    var names = Object.keys(places);
    var n = children.length;
    var box = el("div", null, "ev-cluster");
    box.appendChild(el("span", n, "ev-count"));
    if (names.length === 1 && names[0]) { box.appendChild(el("span", names[0], "ev-label")); }
    var size = n < 10 ? 30 : n < 100 ? 36 : 44;
    return L.divIcon({ html: box, className: "ev-cluster-icon", iconSize: [size, size] });
  }

  function legend(types) {
    var ul = document.getElementById("map-legend");
    if (!ul) { return; }
    ul.textContent = "";
    Object.keys(types).sort().forEach(function (t) {
      var li = el("li");
      var sw = el("span", null, "swatch");
      sw.style.backgroundColor = colorFor(t);
      li.appendChild(sw);
      li.appendChild(document.createTextNode(" " + t + " (" + types[t] + ")"));
      ul.appendChild(li);
    });
  }

  function setStatus(text) {
    var s = document.getElementById("map-status");
    if (s) { s.textContent = text; }
  }

  function init() {
    var box = document.getElementById("map");
    if (!box || !window.L) { return; }
    var map = L.map(box, { preferCanvas: false, worldCopyJump: true, minZoom: 2, maxZoom: 12 });
    map.attributionControl.setPrefix("Leaflet");
    map.attributionControl.addAttribution("Outlines: Natural Earth");
    map.setView([40.0, 46.0], 6);
    var clusters = L.markerClusterGroup({ iconCreateFunction: clusterIcon, showCoverageOnHover: false,
                                          maxClusterRadius: 50, spiderfyOnMaxZoom: true });
    map.addLayer(clusters);
    var state = { map: map, markers: 0, outlines: 0, clusters: clusters, all: [], days: [] };
    window.claimwatchMap = state;

    fetch(box.getAttribute("data-outlines"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (gj) {
        var layer = L.geoJSON(gj, {
          style: function () { return { color: "#8a8f98", weight: 1, fillColor: "#f4f1ea", fillOpacity: 1 }; },
          interactive: false
        });
        layer.addTo(map);
        layer.bringToBack();
        state.outlines = layer.getLayers().length;
        box.setAttribute("data-outlines-loaded", String(state.outlines));
      })
      .catch(function () { setStatus("Country outlines could not be loaded."); });

    fetch(box.getAttribute("data-api"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (fc) { load(state, box, fc); })
      .catch(function (e) { setStatus("Events could not be loaded: " + e.message); });
  }

  function load(state, box, fc) {
    var types = {};
    var days = {};
    (fc.features || []).forEach(function (f) {
      var p = f.properties || {};
      var c = f.geometry && f.geometry.coordinates;
      if (!c || c.length < 2) { return; }
      types[p.event_type] = (types[p.event_type] || 0) + 1;
      if (p.date) { days[p.date] = true; }
      var m = L.marker([c[1], c[0]], { icon: markerIcon(p), place: p.location || "", title: p.title || "" });
      m.bindPopup(popup(p));
      state.all.push({ marker: m, props: p });
    });
    state.days = Object.keys(days).sort();
    state.more = fc.next_offset !== null && fc.next_offset !== undefined;
    state.total = fc.total;
    legend(types);
    slider(state, box);
    show(state, box, true);
  }

  function slider(state, box) {
    var wrap = document.getElementById("slider");
    var from = document.getElementById("t-from");
    var to = document.getElementById("t-to");
    if (!wrap || !from || !to || state.days.length < 2) { return; }
    var last = state.days.length - 1;
    [from, to].forEach(function (r) { r.min = "0"; r.max = String(last); });
    from.value = "0";
    to.value = String(last);
    wrap.hidden = false;
    function onInput(e) {
      if (Number(from.value) > Number(to.value)) {
        if (e.target === from) { to.value = from.value; } else { from.value = to.value; }
      }
      show(state, box, false);
    }
    from.addEventListener("input", onInput);
    to.addEventListener("input", onInput);
  }

  function range(state) {
    var from = document.getElementById("t-from");
    var to = document.getElementById("t-to");
    if (!from || !to || state.days.length < 2) { return null; }
    var a = state.days[Number(from.value)], b = state.days[Number(to.value)];
    var full = Number(from.value) === 0 && Number(to.value) === state.days.length - 1;
    return { from: a, to: b, full: full };
  }

  // the markers and the timeline of the events inside the slider's range (undated ones only at full range)
  function show(state, box, fit) {
    var r = range(state);
    var shown = state.all.filter(function (x) {
      if (!r) { return true; }
      if (!x.props.date) { return r.full; }
      return x.props.date >= r.from && x.props.date <= r.to;
    });
    state.clusters.clearLayers();
    state.clusters.addLayers(shown.map(function (x) { return x.marker; }));
    state.markers = shown.length;
    box.setAttribute("data-markers", String(shown.length));
    var out = document.getElementById("t-range");
    if (out && r) { out.textContent = r.from + " to " + r.to + (r.full ? " (all days)" : ""); }
    if (fit && shown.length > 0) {
      state.map.fitBounds(state.clusters.getBounds().pad(0.2), { maxZoom: 8 });
    }
    timeline(state, shown);
    setStatus(shown.length + " event" + (shown.length === 1 ? "" : "s") + " with coordinates" +
              (r && !r.full ? " in the chosen days" : "") +
              (state.more ? " (the newest " + state.all.length + " of " + state.total + "; narrow the filters to see others)" : "") + ".");
  }

  function timeline(state, shown) {
    var ol = document.getElementById("map-events");
    if (!ol) { return; }
    ol.textContent = "";
    shown.slice().sort(function (a, b) {
      return (b.props.date || "").localeCompare(a.props.date || "");
    }).slice(0, LIST_MAX).forEach(function (x) {
      var p = x.props;
      var li = el("li", null, "map-event");
      var btn = el("button", p.title || "event", "linklike");
      btn.type = "button";
      btn.addEventListener("click", function () {
        state.clusters.zoomToShowLayer(x.marker, function () { x.marker.openPopup(); });
      });
      li.appendChild(el("span", p.date || "undated", "day"));
      li.appendChild(btn);
      var meta = [p.status, p.fatalities ? p.fatalities + " killed" : ""].filter(Boolean).join(" · ");
      if (meta) { li.appendChild(el("span", meta, "meta")); }
      ol.appendChild(li);
    });
    if (shown.length > LIST_MAX) { ol.appendChild(el("li", "… and " + (shown.length - LIST_MAX) + " more", "meta")); }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
