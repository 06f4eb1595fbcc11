//! The Unix-domain socket of `--unix-socket-dir DIR`: `DIR/.s.PGSQL.<port>`, named as
//! PostgreSQL names its socket, so `psql -h DIR -p PORT` and libpq's `host=DIR` find it.
//!
//! Invariants:
//! - The socket is created with mode 0777, PostgreSQL's default `unix_socket_permissions`:
//!   who may reach it is decided by the directory's permissions, and who may log in by the
//!   password, as over TCP.
//! - An existing file at the socket's path is replaced only when it is a socket no server
//!   answers on (a crashed server left it); when one answers, or the file is not a socket,
//!   the server does not start, naming the path.
//! - The socket file is removed when the value drops (the listener's shutdown), and only then.

use std::fs::Permissions;
use std::io;
use std::os::unix::fs::{FileTypeExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};

use tokio::net::{UnixListener, UnixStream};

/// PostgreSQL's default `unix_socket_permissions`.
const SOCKET_MODE: u32 = 0o777;

/// Why the socket could not be created.
#[derive(Debug, thiserror::Error)]
pub(crate) enum UnixSocketError {
    /// A server answers on the socket already.
    #[error(
        "another server is listening on the Unix socket {0}; stop it, or give this one another \
         --unix-socket-dir or port"
    )]
    InUse(PathBuf),
    /// Something other than a socket is in the way.
    #[error("{0} exists and is not a Unix socket; remove it or choose another --unix-socket-dir")]
    NotASocket(PathBuf),
    /// The socket could not be checked, removed, bound or given its mode.
    #[error("cannot listen on the Unix socket {path}: {source}")]
    Io {
        /// The socket's path.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
}

/// A bound Unix socket, removed from the file system when dropped.
pub(crate) struct UnixSocket {
    listener: UnixListener,
    path: PathBuf,
}

impl UnixSocket {
    /// Listens on `dir/.s.PGSQL.<port>`, replacing a stale socket file left by a crash.
    pub(crate) fn bind(dir: &Path, port: u16) -> Result<UnixSocket, UnixSocketError> {
        let path = dir.join(format!(".s.PGSQL.{port}"));
        let io_error = |source| UnixSocketError::Io {
            path: path.clone(),
            source,
        };
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if !meta.file_type().is_socket() => {
                return Err(UnixSocketError::NotASocket(path));
            }
            Ok(_) => match std::os::unix::net::UnixStream::connect(&path) {
                Ok(_) => return Err(UnixSocketError::InUse(path)),
                // Nobody accepts on it: the file outlived its server.
                Err(err) if err.kind() == io::ErrorKind::ConnectionRefused => {
                    tracing::info!(path = %path.display(), "removing a stale Unix socket");
                    std::fs::remove_file(&path).map_err(io_error)?;
                }
                Err(err) => return Err(io_error(err)),
            },
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => return Err(io_error(err)),
        }
        let listener = UnixListener::bind(&path).map_err(io_error)?;
        // From here on the file is ours: dropping the value removes it, also on the error below.
        let socket = UnixSocket { listener, path };
        std::fs::set_permissions(&socket.path, Permissions::from_mode(SOCKET_MODE)).map_err(
            |source| UnixSocketError::Io {
                path: socket.path.clone(),
                source,
            },
        )?;
        Ok(socket)
    }

    /// The socket file.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The next connection.
    pub(crate) async fn accept(&self) -> io::Result<UnixStream> {
        self.listener.accept().await.map(|(stream, _)| stream)
    }
}

impl Drop for UnixSocket {
    fn drop(&mut self) {
        if let Err(err) = std::fs::remove_file(&self.path)
            && err.kind() != io::ErrorKind::NotFound
        {
            tracing::warn!(path = %self.path.display(), error = %err, "cannot remove the Unix socket");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn binds_replaces_stale_sockets_refuses_live_ones_and_cleans_up() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(".s.PGSQL.5999");

        let socket = UnixSocket::bind(dir.path(), 5999).expect("bind");
        assert_eq!(socket.path(), path);
        let mode = std::fs::metadata(&path)
            .expect("socket")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o777);
        let err = UnixSocket::bind(dir.path(), 5999)
            .err()
            .expect("second bind");
        assert!(matches!(err, UnixSocketError::InUse(_)), "{err}");
        drop(socket);
        assert!(!path.exists(), "dropping removes the socket");

        // A socket file nobody listens on, as a killed server leaves it.
        drop(std::os::unix::net::UnixListener::bind(&path).expect("bind a stale socket"));
        assert!(path.exists());
        let socket = UnixSocket::bind(dir.path(), 5999).expect("replace the stale socket");
        drop(socket);

        std::fs::write(&path, "not a socket").expect("write a file");
        let err = UnixSocket::bind(dir.path(), 5999)
            .err()
            .expect("a file in the way");
        assert!(matches!(err, UnixSocketError::NotASocket(_)), "{err}");
        assert!(path.exists(), "a file that is not a socket is left alone");
    }
}
