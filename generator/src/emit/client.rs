//! The client module: its head, the client struct and constructors, and one async method
//! per operation (arguments, the request it builds, how the response is read, per-status
//! response enums).

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use crate::ir::*;
use crate::naming;

use super::docs::{doc_attrs, sanitize_line};
use super::emitter::{ident, Emitter};

/// The variant of a per-status response enum (`200` → `Status200`, `2XX` → `Status2xx`).
fn status_variant(code: &str) -> String {
    naming::type_name(&format!("status {code}"))
}

impl Emitter<'_> {
    /// The top of the client module: its docs and `use`s.
    pub(super) fn client_head(&self) -> TokenStream {
        let types_use = if !self.has_types_module() {
            TokenStream::new()
        } else {
            quote!(#[allow(unused_imports)] use super::types::*;)
        };
        quote! {
            //! The client and the parameter structs of its methods.
            use genauth_runtime as rt;
            #types_use
        }
    }

    /// The server constant and the client struct.
    pub(super) fn client_top(&self, client: &Ident) -> TokenStream {
        let title = sanitize_line(self.ir.title.trim());
        let client_doc = doc_attrs(&format!(
            "Client for {title}: one async method per operation.\n\n\
             Every method describes its request and hands it to the transport the client was \
             built with (see `genauth_runtime::Transport`); the runtime signs it, retries it \
             when that is safe, checks the response and decodes it into the method's return \
             type.\n\n\
             `M` is what the methods return: the decoded body (`rt::Plain`, the default), or \
             with [`raw`](Self::raw) the body with its HTTP status, headers, request id and \
             attempt count (`rt::ApiResponse`). [`with_options`](Self::with_options) gives a \
             view with its own timeout, headers or retry policy. Views share the connections \
             and the cached token."
        ));
        let server = match self.ir.servers.first() {
            Some(url) => {
                let url = sanitize_line(url);
                quote! {
                    /// The first server listed in the API description.
                    pub const DEFAULT_SERVER: &str = #url;
                }
            }
            None => TokenStream::new(),
        };
        quote! {
            #server

            #client_doc
            #[derive(Debug, Clone)]
            pub struct #client<M = rt::Plain> {
                client: rt::Client,
                mode: M,
            }
        }
    }

    /// The client's `impl` block with its constructors (the methods are added after them).
    pub(super) fn client_impl_open(&self, client: &Ident) -> TokenStream {
        let envelope = if self.ir.status_code_envelope {
            quote!(.with_envelope(rt::Envelope::StatusCode))
        } else {
            TokenStream::new()
        };
        let decoding = if self.opts.strict_responses {
            quote!(.with_decoding(rt::Decoding::Strict))
        } else {
            TokenStream::new()
        };
        let init = if envelope.is_empty() && decoding.is_empty() {
            quote!(Self { client, mode: rt::Plain })
        } else {
            quote!(Self { client: client #envelope #decoding, mode: rt::Plain })
        };
        quote! {
            impl #client {
                /// A client that sends every request through `transport`.
                pub fn new(transport: impl rt::Transport) -> Self {
                    Self::from_client(rt::Client::new(transport))
                }

                /// A client over an existing runtime client (the response checks this API needs are switched on).
                pub fn from_client(client: rt::Client) -> Self {
                    #init
                }

            }

            impl<M: rt::CallMode> #client<M> {
                /// The runtime client underneath.
                pub fn client(&self) -> &rt::Client {
                    &self.client
                }

                /// A view of this client whose calls use `options` where they are set (a
                /// timeout per attempt, extra headers, a retry policy). Cheap: the
                /// connections and the cached token are shared, nothing is rebuilt.
                pub fn with_options(&self, options: rt::CallOptions) -> Self {
                    Self { client: self.client.with_options(options), mode: self.mode }
                }

                /// The same client, its methods returning `rt::ApiResponse<T>`: the decoded
                /// body with the HTTP status, the headers, the request id and the number of
                /// attempts.
                pub fn raw(&self) -> #client<rt::Raw> {
                    self.with_mode()
                }

                fn with_mode<N: rt::CallMode>(&self) -> #client<N> {
                    #client { client: self.client.clone(), mode: N::default() }
                }
            }
        }
    }

    fn method_doc(&self, op: &Operation) -> TokenStream {
        let mut text = String::new();
        if let Some(s) = op.summary.as_deref().filter(|s| !s.trim().is_empty()) {
            text.push_str(s.trim());
            text.push_str("\n\n");
        }
        if let Some(d) = op.description.as_deref().filter(|d| !d.trim().is_empty()) {
            if op.summary.as_deref().map(str::trim) != Some(d.trim()) {
                text.push_str(d.trim());
                text.push_str("\n\n");
            }
        }
        if op.deprecated {
            text.push_str("**Deprecated** in the API description.\n\n");
        }
        if let Some(paging) = &op.pagination {
            let stream = naming::unraw(&paging.stream_ident);
            text.push_str(&format!("[`{stream}`](Self::{stream}) walks every page.\n\n"));
        }
        text.push_str(&format!(
            "`{} {}`",
            op.method.to_ascii_uppercase(),
            sanitize_line(&op.path).replace('`', "'")
        ));
        doc_attrs(&text)
    }

    pub(super) fn method(&self, op: &Operation, client: &Ident, cfg: &TokenStream) -> TokenStream {
        let name = ident(&op.ident);
        let doc = self.method_doc(op);
        let method = match op.method.as_str() {
            "get" => quote!(rt::Method::Get),
            "put" => quote!(rt::Method::Put),
            "post" => quote!(rt::Method::Post),
            "delete" => quote!(rt::Method::Delete),
            "patch" => quote!(rt::Method::Patch),
            "head" => quote!(rt::Method::Head),
            "options" => quote!(rt::Method::Options),
            _ => quote!(rt::Method::Trace),
        };

        let mut args: Vec<TokenStream> = Vec::new();
        let mut arg_names: Vec<Ident> = op.path_params.iter().map(|p| ident(&p.ident)).collect();
        for p in &op.path_params {
            let pname = ident(&p.ident);
            let pty = match self.resolve(&p.ty) {
                TypeRef::String => quote!(&str),
                TypeRef::Bool | TypeRef::Int(_) | TypeRef::F32 | TypeRef::F64 => self.ty(&p.ty),
                _ => {
                    let t = self.ty(&p.ty);
                    quote!(&#t)
                }
            };
            args.push(quote!(#pname: #pty));
        }
        if let Some(params) = &op.params {
            let pty = ident(&params.name);
            args.push(quote!(params: &#pty));
            arg_names.push(ident("params"));
        }
        let body_stmt = match &op.body {
            Some(b) => {
                arg_names.push(ident("body"));
                self.body_stmt(b, &mut args)
            }
            None => TokenStream::new(),
        };
        let error = self.error_type();

        let path_expr = self.path_expr(op);
        let (query_stmts, header_stmts) = match &op.params {
            Some(params) => self.param_pushes(params),
            None => (TokenStream::new(), TokenStream::new()),
        };

        let (ret, send) = if let Some((enum_name, bodies)) = &op.responses_by_status {
            let enum_ident = ident(enum_name);
            let mut exact = Vec::new();
            let mut ranges = Vec::new();
            for (code, body) in bodies {
                let variant = ident(&status_variant(code));
                let value = match body {
                    StatusBody::Empty => quote!(#enum_ident::#variant),
                    StatusBody::Json(_) => quote!(#enum_ident::#variant(self.client.decode(&response)?)),
                    StatusBody::Raw => quote!(#enum_ident::#variant(response)),
                };
                if let Ok(n) = code.parse::<u16>() {
                    let lit = Literal::u16_unsuffixed(n);
                    exact.push(quote!(#lit => #value,));
                } else if let Some(first) = code.chars().next().and_then(|c| c.to_digit(10)) {
                    let lo = Literal::u16_unsuffixed((first * 100) as u16);
                    let hi = Literal::u16_unsuffixed((first * 100 + 99) as u16);
                    ranges.push(quote!(#lo..=#hi => #value,));
                }
            }
            let send_raw = self.send_raw();
            (
                quote!(#enum_ident),
                quote! {
                    let response = self.client.#send_raw(request).await?;
                    Ok(match response.status {
                        #(#exact)*
                        #(#ranges)*
                        _ => #enum_ident::Other(response),
                    })
                },
            )
        } else if op.raw_response {
            let send_raw = self.send_raw();
            (quote!(rt::Response), quote!(self.client.#send_raw(request).await))
        } else {
            // The mode decides what comes back (the body, the body with its HTTP details,
            // or the request unsent): one body for every view of the client.
            match &op.response {
                Some(t) => {
                    let t = self.ty(t);
                    (quote!(M::Output<#t>), quote!(M::send::<#t, _>(&self.client, request).await))
                }
                None => (quote!(M::Output<()>), quote!(M::send_empty(&self.client, request).await)),
            }
        };
        let query_attach = if query_stmts.is_empty() {
            TokenStream::new()
        } else {
            quote!(.query(query))
        };
        let headers_attach = if header_stmts.is_empty() {
            TokenStream::new()
        } else {
            quote!(.headers(headers))
        };
        let _ = client;
        let operation = naming::unraw(&op.ident);
        // The runtime takes GET, HEAD and OPTIONS as idempotent; others are marked.
        let idempotent = if op.idempotent && !matches!(op.method.as_str(), "get" | "head" | "options") {
            quote!(.idempotent(true))
        } else {
            TokenStream::new()
        };
        let stream = match &op.pagination {
            Some(paging) => self.stream_method(op, paging, &args, &arg_names, cfg),
            None => TokenStream::new(),
        };
        quote! {
            #doc
            #cfg
            pub async fn #name(&self, #(#args),*) -> Result<#ret, #error> {
                #query_stmts
                #header_stmts
                let request = rt::Request::new(#method, #path_expr).operation(#operation)#idempotent #query_attach #headers_attach;
                #body_stmt
                #send
            }

            #stream
        }
    }

    /// The error type methods return: `Error` (`rt::Error<ApiCode>`) when the API
    /// documents its codes, else `rt::Error`.
    pub(super) fn error_type(&self) -> TokenStream {
        if self.ir.api_codes.is_some() {
            quote!(Error)
        } else {
            quote!(rt::Error)
        }
    }

    /// `send_raw`, or with typed codes `send_raw_as` (whose retries follow their hints).
    fn send_raw(&self) -> TokenStream {
        if self.ir.api_codes.is_some() {
            quote!(send_raw_as::<ApiCode>)
        } else {
            quote!(send_raw)
        }
    }

    /// The companion of a paged operation: a stream of the items of every page.
    fn stream_method(&self, op: &Operation, paging: &Pagination, args: &[TokenStream], arg_names: &[Ident], cfg: &TokenStream) -> TokenStream {
        let Some(response) = &op.response else { return TokenStream::new() };
        let name = ident(&paging.stream_ident);
        let method = ident(&op.ident);
        let response = self.ty(response);
        let item = self.ty(&paging.item);
        let codes = if self.ir.api_codes.is_some() { quote!(, ApiCode) } else { TokenStream::new() };
        let at = |p: &PageParamAt| match p {
            PageParamAt::Query(name) => quote!(#name),
            PageParamAt::Body(path) => {
                let path = path.join(".");
                quote!(#path)
            }
        };
        let (page, limit) = (at(&paging.page), at(&paging.limit));
        let constructor = match paging.page {
            PageParamAt::Query(_) => quote!(query),
            PageParamAt::Body(_) => quote!(body),
        };
        let total = paging.total.iter().map(|f| ident(f));
        let list = paging.list.iter().map(|f| ident(f));
        let from = match &paging.page {
            PageParamAt::Query(name) => format!("the query's `{name}`"),
            PageParamAt::Body(path) => format!("`{}` in the body", path.join(".")),
        };
        let doc = doc_attrs(&format!(
            "Every item of [`{0}`](Self::{0}), page after page, as a stream.\n\n\
             Starts at the page that {from} gives (else the first), asks for the next one until \
             the total count of items has come or a page is empty, and yields the items one \
             by one. Each page is one call, retried like any other; an error ends the stream \
             as its last item.",
            naming::unraw(&op.ident),
        ));
        quote! {
            #doc
            #cfg
            pub fn #name(&self, #(#args),*) -> rt::PageStream<#item #codes> {
                rt::paginate(
                    &self.client,
                    self.with_mode::<rt::Prepare>().#method(#(#arg_names),*),
                    rt::Paging::#constructor(#page, #limit),
                    |page: #response| (page #(.#total)*, page #(.#list)*),
                )
            }
        }
    }

    /// The body argument(s) and the statements that attach the body to `request`.
    fn body_stmt(&self, b: &Body, args: &mut Vec<TokenStream>) -> TokenStream {
        let media_type = &b.media_type;
        match &b.kind {
            BodyKind::Json(t) => {
                let bty = self.ty(t);
                if b.required {
                    args.push(quote!(body: &#bty));
                    quote!(let request = request.json(body)?;)
                } else {
                    args.push(quote!(body: Option<&#bty>));
                    quote! {
                        let request = match body {
                            Some(body) => request.json(body)?,
                            None => request,
                        };
                    }
                }
            }
            BodyKind::Form(p) => {
                let fty = ident(&p.name);
                args.push(quote!(body: &#fty));
                let multipart = p.fields.iter().any(|f| f.location == ParamIn::Multipart);
                let pushes = p.fields.iter().map(|f| self.push_stmt(quote!(form), quote!(body), f));
                if multipart {
                    quote! {
                        let mut form = rt::Multipart::new();
                        #(#pushes)*
                        let request = request.multipart(form);
                    }
                } else {
                    quote! {
                        let mut form = rt::Query::new();
                        #(#pushes)*
                        let request = request.form(form);
                    }
                }
            }
            BodyKind::Bytes => {
                args.push(quote!(body: impl Into<Vec<u8>>));
                quote!(let request = request.bytes(#media_type, body);)
            }
            BodyKind::Text => {
                args.push(quote!(body: impl Into<String>));
                quote!(let request = request.text(#media_type, body);)
            }
        }
    }

    fn path_expr(&self, op: &Operation) -> TokenStream {
        if op.path_params.is_empty() {
            let path = &op.path;
            return quote!(#path);
        }
        // Split the template into literal pieces and `{name}` holes, joined with `concat`.
        let mut pieces: Vec<TokenStream> = Vec::new();
        let mut literal = String::new();
        let mut rest = op.path.as_str();
        while let Some(start) = rest.find('{') {
            let (lit, after) = rest.split_at(start);
            literal.push_str(lit);
            let Some((name, tail)) = after.strip_prefix('{').and_then(|a| a.split_once('}')) else {
                literal.push_str(after);
                rest = "";
                break;
            };
            match op.path_params.iter().find(|p| p.wire == name) {
                Some(p) => {
                    if !literal.is_empty() {
                        pieces.push(quote!(#literal));
                        literal.clear();
                    }
                    let pname = ident(&p.ident);
                    // The argument as the signature has it (aliases resolved): `&str`, a
                    // scalar by value, anything else by reference.
                    let arg = match self.resolve(&p.ty) {
                        TypeRef::Bool | TypeRef::Int(_) | TypeRef::F32 | TypeRef::F64 => quote!(&#pname),
                        _ => quote!(#pname),
                    };
                    if self.is_plain(&p.ty) {
                        pieces.push(quote!(&rt::path_param(#arg)));
                    } else {
                        // Unions and objects: through serde, in the `simple` style.
                        pieces.push(quote!(&rt::path_param_value(#arg)?));
                    }
                }
                None => {
                    literal.push('{');
                    literal.push_str(name);
                    literal.push('}');
                }
            }
            rest = tail;
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            pieces.push(quote!(#literal));
        }
        quote!([#(#pieces),*].concat())
    }

    /// The enum a method returns when success statuses carry different bodies.
    pub(super) fn status_enum(&self, op: &Operation, client: &Ident, cfg: &TokenStream) -> TokenStream {
        let Some((name, bodies)) = &op.responses_by_status else { return TokenStream::new() };
        let name = ident(name);
        let method = ident(&op.ident);
        let doc = format!(" What [`{client}::{method}`] returns: one variant per success status in the API description.");
        let variants = bodies.iter().map(|(code, body)| {
            let variant = ident(&status_variant(code));
            let vdoc = format!(" Status `{}`.", sanitize_line(code));
            match body {
                StatusBody::Empty => quote!(#[doc = #vdoc] #variant,),
                StatusBody::Json(t) => {
                    let t = self.ty(t);
                    quote!(#[doc = #vdoc] #variant(#t),)
                }
                StatusBody::Raw => quote!(#[doc = #vdoc] #variant(rt::Response),),
            }
        });
        quote! {
            #[doc = #doc]
            #cfg
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name {
                #(#variants)*
                /// A success status the API description does not list.
                Other(rt::Response),
            }
        }
    }
}
