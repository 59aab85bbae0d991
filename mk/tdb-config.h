/* config.h for building samba's lib/tdb/common with musl-gcc, in place of
 * the one waf's configure would write: it tells lib/replace/replace.h what
 * musl libc provides, so replace.h declares no replacements of its own. */
#ifndef GOREG_TDB_CONFIG_H
#define GOREG_TDB_CONFIG_H

#define HAVE_ERRNO_H 1
#define HAVE_FCNTL_H 1
#define HAVE_INTTYPES_H 1
#define HAVE_LIMITS_H 1
#define HAVE_MALLOC_H 1
#define HAVE_POLL_H 1
#define HAVE_STDBOOL_H 1
#define HAVE_STDDEF_H 1
#define HAVE_STDINT_H 1
#define HAVE_STDIO_H 1
#define HAVE_STDLIB_H 1
#define HAVE_STRING_H 1
#define HAVE_STRINGS_H 1
#define HAVE_SYS_FILE_H 1
#define HAVE_SYS_MMAN_H 1
#define HAVE_SYS_PARAM_H 1
#define HAVE_SYS_RESOURCE_H 1
#define HAVE_SYS_SELECT_H 1
#define HAVE_SYS_SOCKET_H 1
#define HAVE_SYS_STAT_H 1
#define HAVE_SYS_SYSMACROS_H 1
#define HAVE_SYS_TIME_H 1
#define HAVE_SYS_TYPES_H 1
#define HAVE_SYS_UIO_H 1
#define HAVE_SYS_WAIT_H 1
#define HAVE_UNISTD_H 1
#define HAVE_UTIME_H 1
#define HAVE_DLFCN_H 1
#define HAVE_PTHREAD_H 1

#define HAVE_MMAP 1
#define HAVE_GETPAGESIZE 1
#define HAVE_PREAD 1
#define HAVE_PWRITE 1
#define HAVE_FDATASYNC 1
#define HAVE_DECL_FDATASYNC 1
#define HAVE_POSIX_FALLOCATE 1
#define HAVE_STRERROR 1
#define HAVE_STRERROR_R 1
#define HAVE_USLEEP 1
#define HAVE_COPY_FILE_RANGE 1
#define HAVE_GETPROGNAME 1
#define HAVE_FTRUNCATE 1
#define HAVE_SNPRINTF 1
#define HAVE_VSNPRINTF 1
#define HAVE_C99_VSNPRINTF 1
#define HAVE_ASPRINTF 1
#define HAVE_VASPRINTF 1
#define HAVE_DPRINTF 1
#define HAVE_VDPRINTF 1
#define HAVE_STRDUP 1
#define HAVE_STRNDUP 1
#define HAVE_STRNLEN 1
#define HAVE_STRTOK_R 1
#define HAVE_STRTOLL 1
#define HAVE_STRTOULL 1
#define HAVE_STRSEP 1
#define HAVE_STRCASESTR 1
#define HAVE_STRLCPY 1
#define HAVE_STRLCAT 1
#define HAVE_MEMMEM 1
#define HAVE_MEMMOVE 1
#define HAVE_MKDTEMP 1
#define HAVE_SECURE_MKSTEMP 1
#define HAVE_SETENV 1
#define HAVE_SETENV_DECL 1
#define HAVE_UNSETENV 1
#define HAVE_TIMEGM 1
#define HAVE_MKTIME 1
#define HAVE_CLOCK_GETTIME 1
#define HAVE_BZERO 1
#define HAVE_EXPLICIT_BZERO 1
#define HAVE_VA_COPY 1
#define HAVE_VOLATILE 1
#define HAVE_DECL_EWOULDBLOCK 1
#define HAVE_ERRNO_DECL 1
#define HAVE_DECL_ENVIRON 1
#define HAVE_INET_NTOA 1
#define HAVE_INET_ATON 1
#define HAVE_INET_NTOP 1
#define HAVE_INET_PTON 1
#define HAVE_DUP2 1
#define HAVE_CHOWN 1
#define HAVE_LCHOWN 1
#define HAVE_LINK 1
#define HAVE_SYMLINK 1
#define HAVE_READLINK 1
#define HAVE_REALPATH 1
#define HAVE_SETEUID 1
#define HAVE_SETEGID 1
#define HAVE_SOCKETPAIR 1
#define HAVE_SYSLOG 1
#define HAVE_VSYSLOG 1
#define HAVE_UTIME 1
#define HAVE_UTIMES 1
#define HAVE_DLOPEN 1
#define HAVE_DLSYM 1
#define HAVE_DLERROR 1
#define HAVE_DLCLOSE 1
#define HAVE_WORKING_STRPTIME 1
#define HAVE_STRUCT_TIMESPEC 1
#define TIME_WITH_SYS_TIME 1

#define HAVE_INTPTR_T 1
#define HAVE_UINTPTR_T 1
#define HAVE_PTRDIFF_T 1
#define HAVE_USECONDS_T 1
#define HAVE_BOOL 1
#define HAVE__Bool 1
#define HAVE_UINT8_T 1
#define HAVE_UINT16_T 1
#define HAVE_UINT32_T 1
#define HAVE_UINT64_T 1
#define HAVE_INT8_T 1
#define HAVE_INT16_T 1
#define HAVE_INT32_T 1
#define HAVE_INT64_T 1
#define HAVE_SIG_ATOMIC_T_TYPE 1
#define HAVE_SOCKLEN_T 1
#define HAVE_OFF_T 1
#define HAVE_SSIZE_T 1
#define HAVE_LONG_LONG 1
#define HAVE_COMPARISON_FN_T 0

/* tdb's process-shared robust mutexes (TDB_MUTEX_LOCKING) need these. */
#define HAVE_ROBUST_MUTEXES 1
#define HAVE_PTHREAD_MUTEXATTR_SETROBUST 1
#define HAVE_PTHREAD_MUTEX_CONSISTENT 1

/* Deliberately left undefined: HAVE_LINUX_TYPES_H (musl has no kernel
 * headers in its include path) and HAVE_MEMSET_S (musl has no memset_s;
 * mk/tdb-replace.c supplies rep_memset_s). */

/* tdb_private.h falls back to a pointer-cast offsetof when stddef.h has
 * not been seen; give it the real one. */
#include <stddef.h>
#endif
