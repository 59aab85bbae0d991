/* Module zip creation from a source directory, as golang.org/x/mod/zip
 * CreateFromDir does it (go.dev/ref/mod#zip-files), for goreg-pack(1).
 *
 * Which files go in, in x/mod's order: the directory walked in lexical
 * order, without .bzr/.git/.hg/.svn directories, subdirectories holding
 * their own go.mod (other modules), files of vendored packages (all of
 * vendor/ but its top-level files such as vendor/modules.txt), a root
 * .hg_archival.txt, symbolic links and other irregular files.  Refused: a
 * file path module.CheckFilePath refuses, a go.mod not named "go.mod",
 * paths equal under case folding, the size limits of limits.h, and an
 * empty module.  The finished zip must also pass modzip_check, so what
 * goreg-pack makes, goreg's upload takes.
 *
 * No symbolic link below dir is followed, also when the tree changes
 * during the run: directories are opened from their parent's descriptor,
 * and each file once, when its data is written, from dir's descriptor
 * down (open_beneath); it must be the regular file the walk saw (device,
 * inode, size) or the run fails (-1: the tree changed, a retry may
 * succeed) and nothing is written.
 *
 * Entries carry no directory entries, a zero MS-DOS date and time and no
 * file mode, as x/mod's archive/zip writer leaves them: the same tree
 * gives the same zip whatever its mtimes, umask or time zone. */
#ifndef GOREG_MODPACK_H
#define GOREG_MODPACK_H
#include <stddef.h>

/* Make the zip of module@version from dir into the file out: a temp file
 * beside out, fsync, rename, fsync of out's directory.  Returns 0; 1 when
 * the input is invalid (module path or version, a file breaking a rule,
 * too large, nothing to pack, dir missing); -1 on a system failure.  On
 * return != 0 a one-line reason is in err and out is untouched. */
int modpack_create(const char *module, const char *version, const char *dir,
                   const char *out, char *err, size_t errsz);

/* The same, written to the open descriptor fd (a pipe will do): the zip is
 * made in a temp file under $TMPDIR (default /tmp) and copied to fd once
 * it is complete, so fd gets a whole zip or nothing. */
int modpack_create_fd(const char *module, const char *version, const char *dir,
                      int fd, char *err, size_t errsz);

/* A file of a module from elsewhere than a directory (a git tree, say):
 * its slash-separated path below the module's root, its size and bytes;
 * irregular for an entry that is no regular file (a symbolic link),
 * which Create checks as a path, then omits (golang.org/issue/27093).
 * The list is taken in its order, as x/mod's zip.Create takes its files:
 * no VCS directory is skipped, and a directory holding a go.mod (in any
 * letter case) is another module, its files omitted. */
struct modpack_entry {
	const char *path;
	long long size;
	const void *data;       /* size bytes, or NULL before modpack_select */
	int irregular;
	int keep;               /* set by modpack_select: the file goes in */
};

/* checkFiles on a list: sets each entry's keep, so that only the files
 * kept need reading.  Returns 0, 1 (invalid, reason in err) or -1. */
int modpack_select(const char *module, const char *version, struct modpack_entry *e, size_t n,
                   char *err, size_t errsz);

/* Create from a list: as modpack_create_fd, the kept entries' data
 * needed (an entry not kept may have none). */
int modpack_create_list_fd(const char *module, const char *version, const struct modpack_entry *e,
                           size_t n, int fd, char *err, size_t errsz);

/* x/mod/zip isVendoredPackage, bug golang.org/issue/31562 included (exposed
 * for the tests): 1 if the slash-separated relative path p is omitted as a
 * file of a vendored package. */
int modpack_is_vendored(const char *p);

#endif
