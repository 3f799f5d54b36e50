//! Starting the sim: a builder with seed and options; in-process (a background thread, for
//! tests and `--sim`) or in the foreground (`oktaform sim serve`).

use super::faults::Faults;
use super::rate_limit::RateLimits;
use super::seed::Seed;
use super::server::{Shared, router};
use super::state::SimState;
use crate::time_spec::Clock;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;
use tokio::sync::oneshot;

/// Why the sim could not start.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("{0}")]
    State(String),
    #[error("cannot listen on {addr}: {source}")]
    Listen { addr: SocketAddr, source: std::io::Error },
    #[error("the sim's runtime failed: {0}")]
    Runtime(std::io::Error),
}

/// Options of a sim before it starts.
#[derive(Debug)]
pub struct SimBuilder {
    seed: Option<Seed>,
    state_file: Option<PathBuf>,
    listen: SocketAddr,
    limits: RateLimits,
    faults: Faults,
    header_read_timeout: Duration,
    clock: Clock,
    prune_nulls: bool,
}

/// How long a client may take to send a request's head by default: a slower one is
/// dropped, so that slow or idle connections cannot pile up.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);

/// A running in-process sim; stopped when dropped.
#[derive(Debug)]
pub struct Sim {
    url: String,
    shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Sim {
    pub fn builder() -> SimBuilder {
        SimBuilder {
            seed: None,
            state_file: None,
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            limits: RateLimits::default(),
            faults: Faults::default(),
            header_read_timeout: HEADER_READ_TIMEOUT,
            clock: Clock::System,
            prune_nulls: false,
        }
    }

    /// `http://127.0.0.1:<port>`, the base URL of every org of the sim.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn faults(&self) -> Faults {
        self.shared.faults()
    }

    /// Replaces the fault settings of the running sim.
    pub fn set_faults(&self, faults: Faults) {
        self.shared.set_faults(faults);
    }

    /// The requests served so far.
    #[cfg(test)]
    pub(crate) fn requests(&self) -> Vec<super::server::RequestRecord> {
        self.shared.requests()
    }

    /// Revokes every access token issued so far, as an admin revoking a service app's
    /// tokens would: their next use answers 401.
    pub fn revoke_tokens(&self) {
        self.shared.revoke_tokens();
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.shared.begin_shutdown();
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl SimBuilder {
    #[must_use]
    pub fn seed(mut self, seed: Seed) -> Self {
        self.seed = Some(seed);
        self
    }

    /// Loads from this file when it exists, and saves every mutation to it.
    #[must_use]
    pub fn state_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.state_file = Some(path.into());
        self
    }

    #[must_use]
    pub fn listen(mut self, addr: SocketAddr) -> Self {
        self.listen = addr;
        self
    }

    #[must_use]
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// How long a client may take to send a request's head (default [`HEADER_READ_TIMEOUT`]).
    #[must_use]
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// Where the sim's "now" comes from: the time of new events, and the window of log
    /// queries (default: the system clock).
    #[must_use]
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// Drop the null members of the events that changes log (real orgs keep them; some
    /// clients' models refuse them).
    #[must_use]
    pub fn prune_nulls(mut self, prune: bool) -> Self {
        self.prune_nulls = prune;
        self
    }

    #[must_use]
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.limits = limits;
        self
    }

    fn shared(&self) -> Result<Arc<Shared>, SimError> {
        let state = SimState::load(self.state_file.as_deref(), self.seed.as_ref()).map_err(SimError::State)?;
        if let Some(path) = &self.state_file {
            state
                .save(path)
                .map_err(|e| SimError::State(format!("cannot write the state `{}`: {e}", path.display())))?;
        }
        Ok(Arc::new(Shared::new(
            state,
            self.state_file.clone(),
            self.limits,
            self.faults.clone(),
            self.clock,
            self.prune_nulls,
        )))
    }

    /// Starts the sim on a background thread with its own runtime.
    pub fn start(self) -> Result<Sim, SimError> {
        let shared = self.shared()?;
        let listener = std::net::TcpListener::bind(self.listen).map_err(|source| SimError::Listen {
            addr: self.listen,
            source,
        })?;
        listener.set_nonblocking(true).map_err(SimError::Runtime)?;
        let addr = listener.local_addr().map_err(SimError::Runtime)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .thread_name("oktaform-sim")
            .build()
            .map_err(SimError::Runtime)?;
        let (shutdown, stopped) = oneshot::channel::<()>();
        let server = shared.clone();
        let timeout = self.header_read_timeout;
        let thread = std::thread::spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                    return;
                };
                serve_connections(listener, router(server), timeout, async {
                    let _ = stopped.await;
                })
                .await;
            });
        });
        Ok(Sim {
            url: format!("http://{addr}"),
            shared,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// Serves in the foreground until Ctrl-C; `ready` is told the bound address first.
    pub async fn serve(self, ready: impl FnOnce(SocketAddr)) -> Result<(), SimError> {
        let shared = self.shared()?;
        let listener = tokio::net::TcpListener::bind(self.listen)
            .await
            .map_err(|source| SimError::Listen {
                addr: self.listen,
                source,
            })?;
        ready(listener.local_addr().map_err(SimError::Runtime)?);
        serve_connections(listener, router(shared.clone()), self.header_read_timeout, async move {
            let _ = tokio::signal::ctrl_c().await;
            shared.begin_shutdown();
        })
        .await;
        Ok(())
    }
}

/// Serves HTTP/1.1 on `listener` until `shutdown` completes, each connection in a task of
/// its own; a client that does not send a request's head within `header_read_timeout` is
/// dropped.
async fn serve_connections(
    listener: tokio::net::TcpListener,
    router: axum::Router,
    header_read_timeout: Duration,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let service = hyper_util::service::TowerToHyperService::new(router);
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors, say: wait a little rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => return,
        };
        let service = service.clone();
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(header_read_timeout);
            let _ = builder
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}
