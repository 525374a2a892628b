# The build cache of the scale scripts (sourced): a pipeline crate is built only when its
# sources or outflow's changed since the binary was built, whatever revision file a scenario
# wrote and removed since (which cargo's own check, by modification time, takes for a change).
# Needs REPO and TARGET.

# build CRATE BIN [--release]: builds CRATE into $TARGET unless its binary BIN is there and the
# key of the last build, kept in CRATE/.built, is that of its sources and outflow's now.
build() {
  local crate=$1 bin=$2 profile=${3:-} key
  # Outflow's sources by content (a commit that touches only docs keeps the key).
  key=$( (cd "$REPO" && git ls-files -s src macros Cargo.toml Cargo.lock && git diff HEAD -- src macros Cargo.toml Cargo.lock
          echo "$profile"
          cd "$crate" && { find src Cargo.toml build.rs schema -type f 2>/dev/null || true; } |
            sort | xargs cat) |
         sha256sum | cut -c1-32)
  [ -x "$bin" ] && [ "$(cat "$crate/.built" 2>/dev/null)" = "$key" ] && return 0
  (cd "$crate" && CARGO_TARGET_DIR=$TARGET cargo build --quiet $profile)
  echo "$key" > "$crate/.built"
}
