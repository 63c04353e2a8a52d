//! What a generated method hands back: the decoded body ([`Plain`]), the body with its
//! HTTP details ([`Raw`]), or the request itself, unsent ([`Prepare`]).
//!
//! A generated client is generic over its mode (`ManagementClient<M = Plain>`), so one
//! method body serves every view: it builds its request and finishes with
//! `M::send::<Body, _>(&client, request)`. `client.raw()` is the same client with
//! `M = Raw`; nothing is duplicated per method.

use std::future::Future;

use serde::de::DeserializeOwned;

use crate::{ApiCodeSet, ApiResponse, Client, Error, Request};

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Plain {}
    impl Sealed for super::Raw {}
    impl Sealed for super::Prepare {}
}

/// How a generated method finishes a call: what it returns for a response body `T`.
///
/// Implemented by [`Plain`], [`Raw`] and [`Prepare`] only (the trait is sealed).
pub trait CallMode: sealed::Sealed + Copy + Default + std::fmt::Debug + Send + Sync + 'static {
    /// What a method whose response body is `T` returns in this mode.
    type Output<T>;

    /// Finishes a call whose response body decodes as `R`.
    #[doc(hidden)]
    fn send<R: DeserializeOwned + Send, C: ApiCodeSet>(
        client: &Client,
        request: Request,
    ) -> impl Future<Output = Result<Self::Output<R>, Error<C>>> + Send;

    /// Finishes a call whose response has no body worth decoding.
    #[doc(hidden)]
    fn send_empty<C: ApiCodeSet>(
        client: &Client,
        request: Request,
    ) -> impl Future<Output = Result<Self::Output<()>, Error<C>>> + Send;
}

/// The default mode: methods return the decoded response body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Plain;

/// Methods return an [`ApiResponse`]: the decoded body with the HTTP status, the
/// headers, the request id and the number of attempts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Raw;

/// Methods return the [`Request`] they would send, without sending it. Generated paging
/// methods use it to build the first page's request with the method's own code.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prepare;

impl CallMode for Plain {
    type Output<T> = T;

    fn send<R: DeserializeOwned + Send, C: ApiCodeSet>(
        client: &Client,
        request: Request,
    ) -> impl Future<Output = Result<R, Error<C>>> + Send {
        client.send(request)
    }

    fn send_empty<C: ApiCodeSet>(client: &Client, request: Request) -> impl Future<Output = Result<(), Error<C>>> + Send {
        let sent = client.send_raw_as::<C>(request);
        async move { sent.await.map(drop) }
    }
}

impl CallMode for Raw {
    type Output<T> = ApiResponse<T>;

    fn send<R: DeserializeOwned + Send, C: ApiCodeSet>(
        client: &Client,
        request: Request,
    ) -> impl Future<Output = Result<ApiResponse<R>, Error<C>>> + Send {
        client.send_with_response(request)
    }

    fn send_empty<C: ApiCodeSet>(
        client: &Client,
        request: Request,
    ) -> impl Future<Output = Result<ApiResponse<()>, Error<C>>> + Send {
        client.send_empty_with_response(request)
    }
}

impl CallMode for Prepare {
    type Output<T> = Request;

    fn send<R: DeserializeOwned + Send, C: ApiCodeSet>(
        _client: &Client,
        request: Request,
    ) -> impl Future<Output = Result<Request, Error<C>>> + Send {
        std::future::ready(Ok(request))
    }

    fn send_empty<C: ApiCodeSet>(_client: &Client, request: Request) -> impl Future<Output = Result<Request, Error<C>>> + Send {
        std::future::ready(Ok(request))
    }
}
