//! Lists the first users of a GenAuth user pool, then fetches one of them by id.
//!
//! ```sh
//! GENAUTH_ACCESS_KEY_ID=... GENAUTH_ACCESS_KEY_SECRET=... cargo run -p genauth-example-list-users
//! ```
//!
//! Environment:
//! - `GENAUTH_ACCESS_KEY_ID`, `GENAUTH_ACCESS_KEY_SECRET` (required): the user pool's
//!   access key;
//! - `GENAUTH_HOST`: a private deployment's base URL (default `https://api.genauth.ai`);
//! - `GENAUTH_USER_ID`: the user to fetch (default: the first one listed);
//! - `GENAUTH_TENANT_ID`: act in this tenant;
//! - `GENAUTH_AUTH=bearer`: use the legacy management-token scheme instead of signing.

use std::process::ExitCode;

use genauth_sdk::rt::ClientBuilder;
use genauth_sdk::{Error, GetUserParams, ListUsersOptionsDto, ListUsersRequestDto, ManagementClient, PaginationDto};

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let (Some(id), Some(secret)) = (env("GENAUTH_ACCESS_KEY_ID"), env("GENAUTH_ACCESS_KEY_SECRET")) else {
        eprintln!("set GENAUTH_ACCESS_KEY_ID and GENAUTH_ACCESS_KEY_SECRET (and GENAUTH_HOST for a private deployment)");
        return ExitCode::from(2);
    };
    let mut builder = match env("GENAUTH_AUTH").as_deref() {
        Some("bearer") => ClientBuilder::management_token(id, secret),
        _ => ClientBuilder::access_key(id, secret),
    };
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
    match run(&client).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Api { status_code, api_code, message, request_id }) => {
            eprintln!(
                "GenAuth refused: {status_code} ({}) {message} [request {}]",
                api_code.map_or("no apiCode".into(), |c| c.to_string()),
                request_id.as_deref().unwrap_or("-")
            );
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("call failed: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(client: &ManagementClient) -> Result<(), Error> {
    let page = client
        .list_users(&ListUsersRequestDto {
            options: Some(ListUsersOptionsDto {
                pagination: Some(PaginationDto { page: Some(1), limit: Some(10) }),
                ..Default::default()
            }),
            ..Default::default()
        })
        .await?;
    println!("{} users in the pool; the first {}:", page.data.total_count, page.data.list.len());
    for user in &page.data.list {
        let label = user.username.as_deref().or(user.email.as_deref()).or(user.phone.as_deref()).unwrap_or("-");
        println!("  {}  {label}  {}", user.user_id, user.status);
    }

    let Some(user_id) = env("GENAUTH_USER_ID").or_else(|| page.data.list.first().map(|u| u.user_id.clone())) else {
        println!("no user to fetch");
        return Ok(());
    };
    let user = client.get_user(&GetUserParams::new(user_id)).await?.data;
    println!(
        "{}: name {:?}, email {:?}, phone {:?}, created {}, last login {:?}",
        user.user_id, user.name, user.email, user.phone, user.created_at, user.last_login
    );
    Ok(())
}
