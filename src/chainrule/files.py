"""Opening files that chainrule reads from users: regular files only, read no further than they promise.

``open_regular`` opens a path for reading without ever blocking (``O_NONBLOCK``, so a
FIFO with no writer cannot hang the open), then checks with ``fstat`` on the open
descriptor that it is a regular file: a FIFO, a socket, a device such as ``/dev/zero``
or a directory is refused with a ``ValueError`` naming the path, before a byte is read.
The size it returns is the size of the very file that was opened, so the callers can
check what a header promises against it before allocating anything.
"""

import errno
import os
import stat

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


def display(path):
    """``path`` as text for messages (a ``bytes`` path decoded as the file system would)."""
    return os.fsdecode(os.fspath(path))


def open_regular(path, who=""):
    """Open ``path`` for binary reading if it is a regular file.

    Parameters
    ----------
    path : str, bytes or path-like
    who : str
        A prefix for error messages, such as ``"cr.load: "``.

    Returns
    -------
    file, size : a buffered binary file object, and the size of the file it opened

    Raises
    ------
    FileNotFoundError, PermissionError
        Naming the path and saying which (an unreadable file is not reported missing).
    ValueError
        When the path is not a regular file: it names the path and what it is.
    """
    name = display(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise FileNotFoundError(errno.ENOENT, f"{who}no such file: {name}", name) from None
    except PermissionError:
        raise PermissionError(errno.EACCES, f"{who}permission denied: cannot read {name}", name) from None
    except IsADirectoryError:  # Windows opens no directories
        raise ValueError(f"{who}{name} is a directory, not a regular file") from None
    except OSError as error:
        raise OSError(error.errno, f"{who}cannot open {name}: {error.strerror}", name) from None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            kind = next((what for test, what in _KINDS if test(status.st_mode)), "not a regular file")
            raise ValueError(f"{who}{name} is {kind}, not a regular file")
        return os.fdopen(fd, "rb"), status.st_size
    except BaseException:
        os.close(fd)
        raise


def read_into(stream, buffer):
    """Fill ``buffer`` (a writable memoryview) from ``stream``; returns the bytes read, fewer at end of file."""
    view = memoryview(buffer).cast("B")
    filled = 0
    while filled < len(view):
        count = stream.readinto(view[filled:])
        if not count:
            break
        filled += count
    return filled
