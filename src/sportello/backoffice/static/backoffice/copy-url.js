// "Copia URL" buttons of the services list: shown only with JavaScript, they copy the service's address.
document.querySelectorAll("[data-copy]").forEach(function (button) {
  var status = document.getElementById("copy-status");
  button.hidden = false;
  button.addEventListener("click", function () {
    var input = document.getElementById(button.dataset.copy);
    navigator.clipboard.writeText(input.value).then(function () {
      status.textContent = status.dataset.copied;
      button.textContent = status.dataset.copiedLabel;
    });
  });
});
