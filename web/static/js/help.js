/* help.js - the official address is this site's own origin */
(function () {
  'use strict';
  var v = document.getElementById('official-v');
  if (v) v.textContent = location.origin + '/v#';
})();
