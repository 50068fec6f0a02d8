// Practice by keyboard: 1-4 grade the question (Again, Hard, Good, Easy), "s" shows what a good
// answer covers. Keys typed into the answer box stay text. Without this file the page works the same
// with the buttons.
document.addEventListener("keydown", (event) => {
  const form = document.getElementById("practice-form");
  if (!form || event.ctrlKey || event.metaKey || event.altKey) return;
  if (["TEXTAREA", "INPUT", "SELECT"].includes(event.target.tagName)) return;
  const button = form.querySelector(`button[name="grade"][value="${event.key}"]`);
  if (button) {
    event.preventDefault();
    button.click();
  } else if (event.key === "s") {
    const covers = document.getElementById("answer-covers");
    if (covers) {
      event.preventDefault();
      covers.open = true;
      covers.querySelector("summary").focus();
    }
  }
});
