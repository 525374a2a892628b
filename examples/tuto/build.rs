// Revision files are embedded at build time; this makes cargo notice new ones.
fn main() {
    println!("cargo::rerun-if-changed=src");
}
