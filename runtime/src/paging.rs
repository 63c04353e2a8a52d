//! Auto-pagination: one stream of items over every page of an operation that pages with
//! a page number and a page size and answers `{totalCount, list}`.
//!
//! A generated `<method>_stream` builds the first page's request with the method's own
//! code (in [`Prepare`](crate::Prepare) mode) and hands it to [`paginate`] with where the
//! page number goes ([`Paging`]) and how to split a decoded page into its total and its
//! items. Each page is an ordinary call through [`Client::send`]: signed, retried and
//! traced like any other.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use futures_util::stream::{self, Stream};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{ApiCodeSet, Body, Client, Error, Request};

/// The items of every page, in order, as a boxed stream (`Unpin`, so `.next().await`
/// works on it directly). An error ends it: it is the stream's last item.
pub type PageStream<T, C = i64> = Pin<Box<dyn Stream<Item = Result<T, Error<C>>> + Send>>;

/// Where a request carries a paging parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageParam {
    /// A query parameter of this name.
    Query(&'static str),
    /// A member of the JSON body, by its dotted path of property names
    /// (`"options.pagination.page"`); missing objects on the way are created.
    Body(&'static str),
}

/// Where a paged operation's request carries the page number (counted from 1) and the
/// page size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// The page number.
    pub page: PageParam,
    /// The page size.
    pub limit: PageParam,
}

impl Paging {
    /// Page number and size in the query string.
    pub const fn query(page: &'static str, limit: &'static str) -> Self {
        Paging {
            page: PageParam::Query(page),
            limit: PageParam::Query(limit),
        }
    }

    /// Page number and size in the JSON body, each by its dotted path of property names
    /// (`"options.pagination.page"`).
    pub const fn body(page: &'static str, limit: &'static str) -> Self {
        Paging {
            page: PageParam::Body(page),
            limit: PageParam::Body(limit),
        }
    }
}

/// A page's `totalCount` as a count of items: integers (negative ones read as unknown),
/// whole non-negative floats, numbers sent as text, and `Option`s of them.
pub trait PageTotal {
    /// The total, when the page gives a usable one.
    fn page_total(self) -> Option<u64>;
}

macro_rules! int_totals {
    ($($t:ty),*) => {$(
        impl PageTotal for $t {
            fn page_total(self) -> Option<u64> {
                u64::try_from(self).ok()
            }
        }
    )*};
}
int_totals!(i8, i16, i32, i64, u8, u16, u32, u64);

impl PageTotal for f64 {
    fn page_total(self) -> Option<u64> {
        (self.is_finite() && self >= 0.0 && self.fract() == 0.0 && self < 1.8e19).then_some(self as u64)
    }
}

impl PageTotal for f32 {
    fn page_total(self) -> Option<u64> {
        f64::from(self).page_total()
    }
}

/// A count sent as text (`"42"`), as some servers do.
impl PageTotal for String {
    fn page_total(self) -> Option<u64> {
        self.trim().parse().ok()
    }
}

impl<N: PageTotal> PageTotal for Option<N> {
    fn page_total(self) -> Option<u64> {
        self.and_then(PageTotal::page_total)
    }
}

/// Walks the pages of a paged operation as one stream of items.
///
/// `first` is the request of the first page (the page the caller asked for, page 1 when
/// the request names none), made by the generated method in [`Prepare`](crate::Prepare)
/// mode; it is ready at once. Each page is sent with `client` and decoded as `R`;
/// `split` takes a decoded page apart into its `totalCount` and its list. The stream
/// yields the items in order and ends
///
/// - after the page whose items bring the count up to `totalCount` (the count includes
///   the pages before the first one asked for: page size × (first page − 1)),
/// - at the first empty (or missing) list, or
/// - after the first error, which is its last item (a failing page is retried first,
///   like any call, under the client's policy).
///
/// Nothing is sent until the stream is polled.
pub fn paginate<R, T, C, N, L, F>(
    client: &Client,
    first: impl Future<Output = Result<Request, Error<C>>>,
    paging: Paging,
    split: F,
) -> PageStream<T, C>
where
    R: DeserializeOwned + Send + 'static,
    T: Send + 'static,
    C: ApiCodeSet,
    N: PageTotal,
    L: Into<Option<Vec<T>>>,
    F: FnMut(R) -> (N, L) + Send + 'static,
{
    let first = ready_now(first).unwrap_or_else(|| {
        Err(Error::Config {
            message: "the first page's request could not be built at once".to_owned(),
        })
    });
    let walk = match first {
        Ok(request) => {
            let start = read_number(&request, paging.page).unwrap_or(1);
            let limit = read_number(&request, paging.limit).and_then(|l| u64::try_from(l).ok());
            Walk {
                client: client.clone(),
                request: Some(request),
                error: None,
                paging,
                split,
                start,
                next: start,
                limit,
                before: None,
                seen: 0,
                items: Vec::new().into_iter(),
                done: false,
                page: std::marker::PhantomData,
            }
        }
        Err(error) => Walk {
            client: client.clone(),
            request: None,
            error: Some(error),
            paging,
            split,
            start: 1,
            next: 1,
            limit: None,
            before: None,
            seen: 0,
            items: Vec::new().into_iter(),
            done: true,
            page: std::marker::PhantomData,
        },
    };
    Box::pin(stream::unfold(walk, |mut walk| async move {
        loop {
            if let Some(error) = walk.error.take() {
                walk.done = true;
                return Some((Err(error), walk));
            }
            if let Some(item) = walk.items.next() {
                return Some((Ok(item), walk));
            }
            if walk.done {
                return None;
            }
            if let Err(error) = walk.fetch().await {
                walk.error = Some(error);
            }
        }
    }))
}

/// The state of one walk over the pages.
struct Walk<R, T, C: ApiCodeSet, F> {
    client: Client,
    /// The first page's request; every page is this with another page number.
    request: Option<Request>,
    /// An error to yield next (after which the stream ends).
    error: Option<Error<C>>,
    paging: Paging,
    split: F,
    start: i64,
    next: i64,
    limit: Option<u64>,
    /// Items on the pages before the first one fetched (known after the first page).
    before: Option<u64>,
    /// Items on the pages fetched so far.
    seen: u64,
    items: std::vec::IntoIter<T>,
    done: bool,
    page: std::marker::PhantomData<fn() -> R>,
}

impl<R, T, C, N, L, F> Walk<R, T, C, F>
where
    R: DeserializeOwned + Send + 'static,
    C: ApiCodeSet,
    N: PageTotal,
    L: Into<Option<Vec<T>>>,
    F: FnMut(R) -> (N, L),
{
    async fn fetch(&mut self) -> Result<(), Error<C>> {
        self.done = true;
        let Some(mut request) = self.request.clone() else { return Ok(()) };
        write_number(&mut request, self.paging.page, self.next)?;
        let page: R = self.client.send(request).await?;
        let (total, list) = (self.split)(page);
        let items = list.into().unwrap_or_default();
        if items.is_empty() {
            return Ok(());
        }
        let pages_before = u64::try_from(self.start.saturating_sub(1)).unwrap_or(0);
        let before = *self
            .before
            .get_or_insert_with(|| pages_before.saturating_mul(self.limit.unwrap_or(items.len() as u64)));
        self.seen = self.seen.saturating_add(items.len() as u64);
        self.next = self.next.saturating_add(1);
        self.done = total.page_total().is_some_and(|total| before.saturating_add(self.seen) >= total);
        self.items = items.into_iter();
        Ok(())
    }
}

/// Polls a future once; `None` when it is not ready.
fn ready_now<F: Future>(future: F) -> Option<F::Output> {
    let mut future = std::pin::pin!(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(value) => Some(value),
        Poll::Pending => None,
    }
}

fn read_number(request: &Request, at: PageParam) -> Option<i64> {
    match at {
        PageParam::Query(name) => request.query.iter().find(|(k, _)| k == name).and_then(|(_, v)| v.trim().parse().ok()),
        PageParam::Body(path) => {
            let mut value = request.json_body()?;
            for key in path.split('.') {
                value = value.get(key)?;
            }
            match value {
                Value::Number(n) => n.as_i64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            }
        }
    }
}

fn write_number<C: ApiCodeSet>(request: &mut Request, at: PageParam, number: i64) -> Result<(), Error<C>> {
    match at {
        PageParam::Query(name) => {
            let value = number.to_string();
            match request.query.iter().position(|(k, _)| k == name) {
                Some(i) => {
                    let mut seen = false;
                    request.query.retain(|(k, _)| k != name || !std::mem::replace(&mut seen, true));
                    if let Some(slot) = request.query.get_mut(i) {
                        slot.1 = value;
                    }
                }
                None => request.query.push((name.to_owned(), value)),
            }
            Ok(())
        }
        PageParam::Body(path) => {
            let unusable = |what: &str| Error::Config {
                message: format!("cannot set the page number at `{path}`: {what}"),
            };
            let body = request.body.get_or_insert_with(|| Body::Json(Value::Object(Default::default())));
            let Body::Json(value) = body else {
                return Err(unusable("the request body is not JSON"));
            };
            let mut value: &mut Value = value;
            let (parents, last) = match path.rsplit_once('.') {
                Some((parents, last)) => (Some(parents), last),
                None => (None, path),
            };
            for key in parents.into_iter().flat_map(|p| p.split('.')) {
                if value.is_null() {
                    *value = Value::Object(Default::default());
                }
                let Value::Object(map) = value else {
                    return Err(unusable("a value on the way is not an object"));
                };
                value = map.entry(key).or_insert(Value::Null);
            }
            if value.is_null() {
                *value = Value::Object(Default::default());
            }
            let Value::Object(map) = value else {
                return Err(unusable("a value on the way is not an object"));
            };
            map.insert(last.to_owned(), Value::from(number));
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde_json::json;

    use super::*;
    use crate::{MemoryTransport, Method, Response, StreamExt};

    type Split = fn(Value) -> (Option<i64>, Option<Vec<Value>>);

    fn split(v: Value) -> (Option<i64>, Option<Vec<Value>>) {
        (v["total"].as_i64(), v["list"].as_array().cloned())
    }

    /// Pages of `size` numbers out of `total`, read from the query's `page`.
    fn numbers(total: i64, size: i64) -> Arc<MemoryTransport> {
        Arc::new(MemoryTransport::new(move |req| {
            let page: i64 = req.query.iter().find(|(k, _)| k == "page").map_or(1, |(_, v)| v.parse().unwrap());
            let list: Vec<i64> = ((page - 1) * size + 1..=(page * size).min(total)).collect();
            Response::json(&json!({"total": total, "list": list}))
        }))
    }

    async fn collect(s: PageStream<Value>) -> Vec<Result<Value, Error>> {
        s.collect().await
    }

    #[tokio::test]
    async fn query_pages_until_the_total() {
        let transport = numbers(7, 3);
        let client = Client::new(transport.clone());
        let request = Request::new(Method::Get, "/items").query({
            let mut q = crate::Query::new();
            q.push("limit", &3);
            q
        });
        let items = collect(paginate(&client, async { Ok(request) }, Paging::query("page", "limit"), split as Split)).await;
        let items: Vec<i64> = items.into_iter().map(|r| r.unwrap().as_i64().unwrap()).collect();
        assert_eq!(items, (1..=7).collect::<Vec<_>>());
        let pages: Vec<String> = transport.requests().iter().map(|r| r.query[1].1.clone()).collect();
        assert_eq!(pages, ["1", "2", "3"], "the limit stays first, the page is added once");
    }

    #[tokio::test]
    async fn a_later_start_counts_the_pages_before_it() {
        let transport = numbers(7, 3);
        let client = Client::new(transport.clone());
        let mut q = crate::Query::new();
        q.push("page", &2);
        q.push("limit", &3);
        let request = Request::new(Method::Get, "/items").query(q);
        let items = collect(paginate(&client, async { Ok(request) }, Paging::query("page", "limit"), split as Split)).await;
        assert_eq!(items.len(), 4);
        assert_eq!(transport.requests().len(), 2, "pages 2 and 3, then the total is reached");
    }

    #[tokio::test]
    async fn body_pages_stop_at_an_empty_list_without_a_total() {
        let transport = Arc::new(MemoryTransport::new(|req| {
            let page = req.json_body().unwrap()["options"]["pagination"]["page"].as_i64().unwrap();
            let list: Vec<i64> = if page <= 2 { vec![page] } else { vec![] };
            Response::json(&json!({"list": list}))
        }));
        let client = Client::new(transport.clone());
        let request = Request::new(Method::Post, "/list").json(&json!({"keywords": "a", "options": null})).unwrap();
        let paging = Paging::body("options.pagination.page", "options.pagination.limit");
        let items = collect(paginate(&client, async { Ok(request) }, paging, split as Split)).await;
        assert_eq!(items.len(), 2);
        let sent = transport.requests();
        assert_eq!(sent.len(), 3);
        assert_eq!(sent[2].json_body().unwrap(), &json!({"keywords": "a", "options": {"pagination": {"page": 3}}}));
    }

    #[tokio::test]
    async fn an_error_is_the_last_item() {
        let client = Client::new(MemoryTransport::json(json!({"total": "many"})));
        let request = Request::new(Method::Post, "/list").text("text/plain", "x");
        let paging = Paging::body("page", "limit");
        let items = collect(paginate(&client, async { Ok(request) }, paging, split as Split)).await;
        assert_eq!(items.len(), 1);
        assert!(matches!(&items[0], Err(Error::Config { message }) if message.contains("not JSON")), "{items:?}");
        let failed = collect(paginate(&client, async { Err(Error::Config { message: "bad".into() }) }, paging, split as Split)).await;
        assert!(matches!(failed.as_slice(), [Err(Error::Config { .. })]), "{failed:?}");
    }

    #[test]
    fn totals() {
        assert_eq!(5i32.page_total(), Some(5));
        assert_eq!((-1i64).page_total(), None);
        assert_eq!(Some(3u8).page_total(), Some(3));
        assert_eq!(None::<i64>.page_total(), None);
        assert_eq!(2.0f64.page_total(), Some(2));
        assert_eq!(2.5f64.page_total(), None);
        assert_eq!(" 12".to_owned().page_total(), Some(12));
        assert_eq!("many".to_owned().page_total(), None);
    }
}
