// "Pagamento in verifica": reload the page every few seconds until the outcome is known (the server asks
// pagoPA on each load). Without JavaScript the page offers an "Aggiorna" button instead.
(function () {
  var status = document.querySelector("[data-refresh-seconds]");
  if (!status) return;
  var seconds = parseInt(status.getAttribute("data-refresh-seconds"), 10) || 5;
  window.setTimeout(function () { window.location.reload(); }, seconds * 1000);
})();
