fn main() {
    let _ = outflow::embed_revisions!("../fixtures/embed/bad_label");
}
