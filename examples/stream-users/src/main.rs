//! Streams every user of a GenAuth user pool, page after page, with retries on.
//!
//! ```sh
//! GENAUTH_ACCESS_KEY_ID=... GENAUTH_ACCESS_KEY_SECRET=... cargo run -p genauth-example-stream-users
//! ```
//!
//! Environment:
//! - `GENAUTH_ACCESS_KEY_ID`, `GENAUTH_ACCESS_KEY_SECRET` (required): the user pool's
//!   access key;
//! - `GENAUTH_HOST`: a private deployment's base URL (default `https://api.genauth.ai`);
//! - `GENAUTH_PAGE_SIZE`: users per page (default 50, the most the API gives);
//! - `GENAUTH_RETRIES`: retries after a failed attempt (default 4);
//! - `GENAUTH_TENANT_ID`: act in this tenant.
//!
//! Each page is one call: signed afresh on every attempt, retried on connection failures,
//! 429, 502–504 and 5xx envelopes (`list_users` only reads, so it is safe to send twice),
//! and on the codes that ask for a new signature. A failure that outlasts the retries
//! ends the stream; the users printed so far stay printed.

use std::process::ExitCode;
use std::time::Duration;

use genauth_sdk::rt::{ClientBuilder, RetryPolicy, StreamExt};
use genauth_sdk::{Error, ListUsersOptionsDto, ListUsersRequestDto, ManagementClient, PaginationDto};

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn number(name: &str, default: u32) -> Result<u32, String> {
    match env(name) {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|_| format!("{name} must be a whole number, not {v:?}")),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let (Some(id), Some(secret)) = (env("GENAUTH_ACCESS_KEY_ID"), env("GENAUTH_ACCESS_KEY_SECRET")) else {
        eprintln!("set GENAUTH_ACCESS_KEY_ID and GENAUTH_ACCESS_KEY_SECRET (and GENAUTH_HOST for a private deployment)");
        return ExitCode::from(2);
    };
    let (page_size, retries) = match (number("GENAUTH_PAGE_SIZE", 50), number("GENAUTH_RETRIES", 4)) {
        (Ok(p), Ok(r)) => (p, r),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let policy = RetryPolicy::default()
        .max_retries(retries)
        .base_delay(Duration::from_millis(300))
        .max_delay(Duration::from_secs(10));
    let mut builder = ClientBuilder::access_key(id, secret).retry(policy);
    if let Some(host) = env("GENAUTH_HOST") {
        builder = builder.host(host);
    }
    if let Some(tenant) = env("GENAUTH_TENANT_ID") {
        builder = builder.tenant_id(tenant);
    }
    let client = match builder.build() {
        Ok(client) => ManagementClient::from_client(client),
        Err(e) => {
            eprintln!("cannot set up the client: {e}");
            return ExitCode::from(2);
        }
    };

    let request = ListUsersRequestDto {
        options: Some(ListUsersOptionsDto {
            pagination: Some(PaginationDto { page: Some(1), limit: Some(i64::from(page_size)) }),
            ..Default::default()
        }),
        ..Default::default()
    };
    let mut users = client.list_users_stream(&request);
    let mut count = 0u64;
    while let Some(user) = users.next().await {
        match user {
            Ok(user) => {
                count += 1;
                let label = user.username.as_deref().or(user.email.as_deref()).or(user.phone.as_deref()).unwrap_or("-");
                println!("{count:>6}  {}  {label}  {}", user.user_id, user.status);
            }
            Err(Error::Api { status_code, api_code, message, request_id }) => {
                eprintln!(
                    "GenAuth refused after {count} user(s): {status_code} ({}) {message} [request {}]",
                    api_code.map_or("no apiCode".into(), |c| c.to_string()),
                    request_id.as_deref().unwrap_or("-")
                );
                return ExitCode::FAILURE;
            }
            Err(e) => {
                eprintln!("stopped after {count} user(s): {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("{count} user(s) in the pool");
    ExitCode::SUCCESS
}
