package io.dlstation.maintain.task;

import io.dlstation.error.DlstationException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.regex.PatternSyntaxException;

/**
 * Which files a retention task considers: a glob without '/' ({@code *.log}) matches the file name at any
 * depth, like {@code find -name}; a glob with '/' ({@code runs/*.tfevents}) matches the path relative to
 * the task's folder.
 */
public final class GlobMatcher {
    private final PathMatcher matcher;
    private final boolean byName;

    /** The matcher of {@code glob}; fails with the glob quoted when it does not compile. */
    public GlobMatcher(String glob) {
        this.matcher = compile(glob);
        this.byName = !glob.contains("/");
    }

    /** Fails with the glob quoted when it does not compile. */
    static void check(String glob) {
        compile(glob);
    }

    /** Whether the file at {@code relative} (to the task's folder) is one the task considers. */
    public boolean matches(Path relative) {
        return matcher.matches(byName ? relative.getFileName() : relative);
    }

    private static PathMatcher compile(String glob) {
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + glob);
        } catch (PatternSyntaxException e) {
            throw DlstationException.badInput("glob '" + glob + "' is not a glob (" + e.getDescription() + " at "
                    + e.getIndex() + ")");
        }
    }
}
