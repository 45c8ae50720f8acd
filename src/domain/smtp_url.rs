//! Whether an SMTP URL keeps clinical email encrypted on its way to another machine.

fn is_loopback_host(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "[::1]" | "::1") || host.starts_with("127.")
}

/// Refuses an SMTP URL that would send clinical email without TLS to another machine.
pub fn check_smtp_url(url: &str) -> Result<(), String> {
    let (scheme, rest) = url.split_once("://").ok_or("must start with smtps:// or smtp://")?;
    let authority = rest.split(['/', '?']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host_port.rsplit_once(':').map_or(host_port, |(h, _)| h);
    match scheme {
        "smtps" => Ok(()),
        "smtp" if url.contains("tls=required") => Ok(()),
        "smtp" if is_loopback_host(host) => Ok(()),
        "smtp" => Err(
            "must use TLS: smtps://…:465, or smtp://…:587?tls=required (plain smtp:// only for a loopback test server)"
                .into(),
        ),
        _ => Err("must start with smtps:// or smtp://".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::check_smtp_url;

    #[test]
    fn smtp_urls_must_use_tls_unless_on_loopback() {
        assert!(check_smtp_url("smtps://u:p@mail.nhs.net:465").is_ok());
        assert!(check_smtp_url("smtp://u:p@mail.example.org:587?tls=required").is_ok());
        assert!(check_smtp_url("smtp://127.0.0.1:2525").is_ok());
        assert!(check_smtp_url("smtp://localhost:2525").is_ok());
        assert!(check_smtp_url("smtp://mail.example.org:25").is_err());
        assert!(check_smtp_url("smtp://u:p@mail.example.org:587?tls=opportunistic").is_err());
        assert!(check_smtp_url("http://mail").is_err());
    }
}
