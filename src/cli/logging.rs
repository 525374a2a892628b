//! Logs on stderr through `tracing`: `-v` adds each SQL statement with its duration (sqlx's
//! own record of it, which never holds bound values), `-vv` everything; `RUST_LOG` decides
//! instead when set. A progress bar on screen is lifted while a line is written.

use std::io::{IsTerminal, Write};

/// When to colour logs and progress.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    /// On a terminal, unless `NO_COLOR` is set (and not empty).
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl Color {
    /// Whether to colour a stream that is a terminal or not, `NO_COLOR` set or not.
    pub fn enabled(self, terminal: bool, no_color: bool) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => terminal && !no_color,
        }
    }
}

/// The filter for `-v` given `count` times.
fn filter(count: u8) -> &'static str {
    match count {
        0 => "info,sqlx=warn",
        1 => "debug,sqlx=warn,sqlx::query=debug",
        _ => "trace,sqlx=trace",
    }
}

/// Starts logging for the process (once; later calls change nothing).
pub fn init(verbose: u8, color: Color) {
    use tracing_subscriber::EnvFilter;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let ansi = color.enabled(std::io::stderr().is_terminal(), no_color);
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(filter(verbose)));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| LogLine(Vec::new()))
        .with_ansi(ansi)
        .without_time()
        .with_target(verbose > 0)
        .try_init();
}

/// One log line, buffered, then written whole on stderr around any progress bar.
struct LogLine(Vec<u8>);

impl Write for LogLine {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for LogLine {
    fn drop(&mut self) {
        let text = std::mem::take(&mut self.0);
        super::progress::above_bar(|| {
            let _ = std::io::stderr().lock().write_all(&text);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_colours_a_terminal_unless_no_color() {
        assert!(Color::Auto.enabled(true, false));
        assert!(!Color::Auto.enabled(true, true));
        assert!(!Color::Auto.enabled(false, false));
        assert!(Color::Always.enabled(false, true));
        assert!(!Color::Never.enabled(true, false));
    }

    #[test]
    fn each_v_says_more() {
        assert!(!filter(0).contains("sqlx::query"));
        assert!(filter(1).contains("sqlx::query=debug"));
        assert!(filter(2).starts_with("trace"));
    }
}
