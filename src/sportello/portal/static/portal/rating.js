/* The rating component: once stars are chosen, show the follow-up question that matches them (more than 3 stars:
   what went well; otherwise: where it was hard). Without JavaScript the server asks the follow-up as a second step. */
(function () {
  document.querySelectorAll(".sportello-rating-form").forEach(function (form) {
    var steps = form.querySelectorAll(".sportello-rating-step");
    function show(stars) {
      var positive = stars > 3;
      if (!form.querySelector("input[name=skip]")) {  /* the follow-up is on this page: no second step */
        var skip = document.createElement("input");
        skip.type = "hidden"; skip.name = "skip"; skip.value = "1";
        form.appendChild(skip);
      }
      steps.forEach(function (step) {
        var kind = step.getAttribute("data-rating");
        var visible = kind === "comment" || (kind === "positive") === positive;
        step.hidden = !visible;
        step.querySelectorAll("input[name=answer]").forEach(function (input) {
          input.disabled = !visible;
          if (!visible) { input.checked = false; }
        });
      });
    }
    form.querySelectorAll("input[name=stars]").forEach(function (input) {
      input.addEventListener("change", function () { show(parseInt(input.value, 10)); });
      input.addEventListener("click", function () { show(parseInt(input.value, 10)); });
    });
  });
})();
