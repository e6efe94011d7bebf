// The events map: Leaflet over a country-outline layer served by the app (no tile server).
// Event data comes from the JSON API; every text from it is set with textContent, never as HTML.
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

  function colorFor(type) { return TYPE_COLORS[type] || OTHER; }

  function radiusFor(fatalities) {
    var f = Number(fatalities) || 0;
    return Math.min(28, 5 + 2.5 * Math.sqrt(f));
  }

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
    if (p.actor1) { box.appendChild(el("div", p.actor1 + (p.actor2 ? " — " + p.actor2 : ""), "meta")); }
    return box;
  }

  function legend(types) {
    var ul = document.getElementById("map-legend");
    if (!ul) { return; }
    Object.keys(types).sort().forEach(function (t) {
      var li = el("li");
      var sw = el("span", null, "swatch");
      sw.style.backgroundColor = colorFor(t);  // CSSOM, allowed by the CSP (no inline style attribute)
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
    var map = L.map(box, { preferCanvas: true, worldCopyJump: true, minZoom: 2, maxZoom: 12 });
    map.attributionControl.setPrefix("Leaflet");
    map.attributionControl.addAttribution("Outlines: Natural Earth");
    map.setView([40.0, 46.0], 6);
    window.claimwatchMap = { map: map, markers: 0, outlines: 0 };

    fetch(box.getAttribute("data-outlines"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (gj) {
        var layer = L.geoJSON(gj, {
          style: function () { return { color: "#8a8f98", weight: 1, fillColor: "#f4f1ea", fillOpacity: 1 }; },
          interactive: false
        });
        layer.addTo(map);
        layer.bringToBack();
        window.claimwatchMap.outlines = layer.getLayers().length;
        box.setAttribute("data-outlines-loaded", String(window.claimwatchMap.outlines));
      })
      .catch(function () { setStatus("Country outlines could not be loaded."); });

    fetch(box.getAttribute("data-api"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (fc) {
        var types = {};
        var group = L.featureGroup();
        (fc.features || []).forEach(function (f) {
          var p = f.properties || {};
          var c = f.geometry && f.geometry.coordinates;
          if (!c || c.length < 2) { return; }
          types[p.event_type] = (types[p.event_type] || 0) + 1;
          var m = L.circleMarker([c[1], c[0]], {
            radius: radiusFor(p.fatalities), color: "#222", weight: 1,
            fillColor: colorFor(p.event_type), fillOpacity: 0.75
          });
          m.bindPopup(popup(p));
          m.addTo(group);
        });
        group.addTo(map);
        var n = group.getLayers().length;
        window.claimwatchMap.markers = n;
        box.setAttribute("data-markers", String(n));
        if (n > 0) { map.fitBounds(group.getBounds().pad(0.2), { maxZoom: 8 }); }
        legend(types);
        setStatus(n + " event" + (n === 1 ? "" : "s") + " with coordinates" +
                  (fc.next_offset !== null && fc.next_offset !== undefined ? " (the newest " + n + "; narrow the dates to see others)" : "") + ".");
      })
      .catch(function (e) { setStatus("Events could not be loaded: " + e.message); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
