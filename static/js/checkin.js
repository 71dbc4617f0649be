// Check-in by camera: read a volunteer's QR code and submit the code form.
// Progressive enhancement: without a camera the organiser types the short code.
(function () {
  "use strict";
  var button = document.getElementById("scan-button");
  var video = document.getElementById("scan-video");
  var input = document.getElementById("id_code");
  var form = input && input.form;
  var status = document.getElementById("scan-status");
  if (!button || !video || !form || !navigator.mediaDevices) { return; }
  button.hidden = false;

  var detector = ("BarcodeDetector" in window) ? new window.BarcodeDetector({ formats: ["qr_code"] }) : null;
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var stream = null;

  function say(text) { if (status) { status.textContent = text; } }

  function stop() {
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    video.hidden = true;
  }

  function found(code) {
    stop();
    input.value = code;
    say(button.dataset.found + " " + code);
    // the pressed button goes with the form (the page refuses a check-in without it)
    var submitter = document.getElementById("action-" + (form.dataset.defaultAction || "in"));
    form.requestSubmit ? form.requestSubmit(submitter) : submitter.click();
  }

  function tick() {
    if (!stream) { return; }
    if (video.readyState === video.HAVE_ENOUGH_DATA) {
      if (detector) {
        detector.detect(video).then(function (codes) {
          if (codes.length) { found(codes[0].rawValue); } else { requestAnimationFrame(tick); }
        }).catch(function () { requestAnimationFrame(tick); });
        return;
      }
      if (window.jsQR) {
        canvas.width = video.videoWidth; canvas.height = video.videoHeight;
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var result = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        if (result && result.data) { found(result.data); return; }
      }
    }
    requestAnimationFrame(tick);
  }

  button.addEventListener("click", function () {
    if (stream) { stop(); return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      video.play();
      say(button.dataset.scanning);
      requestAnimationFrame(tick);
    }).catch(function () { say(button.dataset.denied); });
  });
})();
