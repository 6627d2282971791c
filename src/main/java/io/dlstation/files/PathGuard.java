package io.dlstation.files;

import io.dlstation.error.DlstationException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The one place that decides whether a path may be deleted. A root (a retention folder, a backup
 * destination) is resolved to its real path and refused when it is a file system root, a system folder
 * ({@code /etc}, {@code /usr}, ...), a home folder or a folder that holds one. A file is deletable only when
 * its path has no {@code ..}, lies strictly inside its root, its parent resolves (symbolic links followed)
 * inside the root too, and it is itself a regular file: a link is never followed out of the root.
 */
public final class PathGuard {
    private static final Set<Path> SYSTEM_FOLDERS = Stream.of("/bin", "/boot", "/dev", "/etc", "/lib", "/lib32",
            "/lib64", "/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/var")
            .map(Path::of).collect(java.util.stream.Collectors.toUnmodifiableSet());

    private final Set<Path> homes;

    /** A guard that protects {@code homes} (and every folder above them) besides the system folders. */
    public PathGuard(Collection<Path> homes) {
        Set<Path> all = new LinkedHashSet<>();
        for (Path home : homes) {
            Path absolute = home.toAbsolutePath().normalize();
            all.add(absolute);
            try {
                all.add(absolute.toRealPath());
            } catch (IOException e) {
                // a home that does not exist is still protected by its written path
            }
        }
        this.homes = Set.copyOf(all);
    }

    /** The guard for this user: {@code $HOME} and Java's {@code user.home}. */
    public static PathGuard forUser(Map<String, String> env) {
        List<Path> homes = new ArrayList<>();
        if (env.get("HOME") != null && !env.get("HOME").isBlank()) {
            homes.add(Path.of(env.get("HOME")));
        }
        homes.add(Path.of(System.getProperty("user.home")));
        return new PathGuard(homes);
    }

    /** Refuses a written path that is relative or holds {@code ..}; {@code what} names it in the message. */
    public static Path requirePlain(String what, Path path) {
        if (!path.isAbsolute()) {
            throw DlstationException.badInput(what + " '" + path + "' is relative; write an absolute path");
        }
        for (Path part : path) {
            if (part.toString().equals("..")) {
                throw DlstationException.badInput(what + " '" + path + "' holds '..'; write the folder's plain path");
            }
        }
        return path.normalize();
    }

    /**
     * Resolves a root that deletes may happen under and refuses the ones that must never be: {@code what}
     * names it (task and field) in the message. A missing root is {@link NoSuchFileException}.
     */
    public Path deletionRoot(String what, Path root) throws IOException {
        Path written = requirePlain(what, root);
        refuseProtected(what, written, written);
        Path real = written.toRealPath();
        if (!Files.isDirectory(real)) {
            throw DlstationException.badInput(what + " '" + written + "' is not a folder");
        }
        refuseProtected(what, written, real);
        return real;
    }

    /** Whether {@code path} (written or real) is a folder deletes must never happen under. */
    boolean isProtected(Path path) {
        return reasonProtected(path).isPresent();
    }

    private void refuseProtected(String what, Path written, Path path) {
        reasonProtected(path).ifPresent(reason -> {
            throw DlstationException.badInput(what + " '" + written + "'" + (written.equals(path) ? "" : " (" + path + ")")
                    + " is " + reason + "; name a folder inside it that holds only what may be deleted");
        });
    }

    private Optional<String> reasonProtected(Path path) {
        if (path.getParent() == null) {
            return Optional.of("a file system root");
        }
        if (SYSTEM_FOLDERS.contains(path)) {
            return Optional.of("a system folder");
        }
        for (Path home : homes) {
            if (home.equals(path)) {
                return Optional.of("a home folder");
            }
            if (home.startsWith(path)) {
                return Optional.of("a folder that holds the home folder " + home);
            }
        }
        return Optional.empty();
    }

    /**
     * Why {@code file} may not be deleted under the real {@code root}, or empty when it may. With
     * {@code linksToo} a symbolic link itself may be removed (never what it points to).
     */
    public Optional<String> whyNotDeletable(Path root, Path file, boolean linksToo) {
        if (!file.isAbsolute() || !file.normalize().equals(file)) {
            return Optional.of("not a plain absolute path");
        }
        for (Path part : file) {
            if (part.toString().equals("..")) {
                return Optional.of("holds '..'");
            }
        }
        if (!file.startsWith(root) || file.equals(root)) {
            return Optional.of("outside the folder " + root);
        }
        try {
            Path parent = file.getParent().toRealPath();
            if (!parent.startsWith(root)) {
                return Optional.of("its folder resolves to " + parent + ", outside " + root + " (symbolic link)");
            }
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attrs.isSymbolicLink() && !linksToo) {
                return Optional.of("a symbolic link");
            }
            if (attrs.isDirectory()) {
                return Optional.of("a folder");
            }
            if (!attrs.isRegularFile() && !attrs.isSymbolicLink()) {
                return Optional.of("not a regular file");
            }
        } catch (NoSuchFileException e) {
            return Optional.of("gone");
        } catch (IOException e) {
            return Optional.of("cannot be checked (" + e.getMessage() + ")");
        }
        return Optional.empty();
    }

    /**
     * Deletes the folder {@code dir} under the real {@code root} and everything in it, without following
     * links; each file is checked first. Returns the refusals (empty when all went).
     */
    public List<String> deleteTree(Path root, Path dir, Consumer<Path> onDeleted) throws IOException {
        if (!dir.normalize().equals(dir) || !dir.startsWith(root) || dir.equals(root)
                || !dir.getParent().toRealPath().startsWith(root)) {
            return List.of(dir + ": outside the folder " + root);
        }
        List<String> refused = new ArrayList<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Optional<String> why = whyNotDeletable(root, file, true);
                if (why.isPresent()) {
                    refused.add(file + ": " + why.get());
                } else {
                    Files.deleteIfExists(file);
                    onDeleted.accept(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path folder, IOException e) throws IOException {
                if (e != null) {
                    refused.add(folder + ": " + e.getMessage());
                } else if (folder.equals(dir) || folder.getParent().toRealPath().startsWith(root)) {
                    try {
                        Files.delete(folder);
                    } catch (java.nio.file.DirectoryNotEmptyException notEmpty) {
                        refused.add(folder + ": not empty after its files were deleted");
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return refused;
    }
}
