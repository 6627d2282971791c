package io.dlstation.maintain;

import io.dlstation.error.DlstationException;
import io.dlstation.files.PathGuard;
import io.dlstation.maintain.task.BackupTask;
import io.dlstation.maintain.task.MaintenanceTask;
import io.dlstation.maintain.task.RetentionTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a set of tasks against the file system before any of them runs, so that bad input touches
 * nothing: a protected root (file system root, system or home folder), a retention of 0 days without
 * {@code --force}, folders of one task that overlap, a backup destination inside a source (or the other
 * way round), a retention folder that overlaps a backup destination, two backups of one name in one
 * destination. Each refusal names the task, the field and the reason.
 */
public final class TaskCheck {
    private final PathGuard guard;

    private record Destination(Path path, String task) {}

    public TaskCheck(PathGuard guard) {
        this.guard = guard;
    }

    /** Refuses the first problem found with a {@link DlstationException#badInput} message. */
    public void check(List<MaintenanceTask> tasks, boolean force) {
        List<Destination> destinations = new ArrayList<>();
        Map<String, String> backupNames = new HashMap<>();
        for (MaintenanceTask task : tasks) {
            String what = "task '" + task.name() + "': ";
            switch (task) {
                case RetentionTask r -> checkRetention(r, what, force);
                case BackupTask b -> {
                    Path destination = checkBackup(b, what);
                    destinations.add(new Destination(destination, b.name()));
                    String key = destination + "\0" + b.prefix();
                    String other = backupNames.putIfAbsent(key, b.name());
                    if (other != null) {
                        throw DlstationException.badInput(what + "name: backups named '" + b.prefix()
                                + "' in " + b.destination() + " are made by task '" + other + "' too; each would prune "
                                + "the other's; give one of them another name or destination");
                    }
                }
            }
        }
        for (MaintenanceTask task : tasks) {
            if (task instanceof RetentionTask r) {
                for (Path folder : r.folders()) {
                    Path resolved = effective(folder);
                    for (Destination d : destinations) {
                        if (overlap(resolved, d.path())) {
                            throw DlstationException.badInput("task '" + r.name() + "': folders: " + folder
                                    + " overlaps the backup destination " + d.path() + " of task '" + d.task()
                                    + "'; backups are pruned by their own task's keep, never by retention");
                        }
                    }
                }
            }
        }
    }

    private void checkRetention(RetentionTask task, String what, boolean force) {
        if (task.maxAge() != null && task.maxAge().isZero() && !force) {
            throw DlstationException.badInput(what + "max_age 0d deletes every matching file "
                    + "(except keep_newest); pass --force if that is what you want");
        }
        List<Path> resolved = new ArrayList<>();
        for (Path folder : task.folders()) {
            try {
                resolved.add(Files.exists(folder) ? guard.deletionRoot(what + "folders", folder)
                        : PathGuard.requirePlain(what + "folders", folder));
            } catch (IOException e) {
                resolved.add(folder.toAbsolutePath().normalize()); // reported when the task runs
            }
        }
        refuseOverlaps(what + "folders: ", task.folders(), resolved);
    }

    private Path checkBackup(BackupTask task, String what) {
        Path destination = PathGuard.requirePlain(what + "destination", task.destination());
        if (Files.exists(destination)) {
            try {
                destination = guard.deletionRoot(what + "destination", destination);
            } catch (IOException e) {
                // reported when the task runs
            }
        } else {
            destination = effective(destination);
        }
        List<Path> sources = new ArrayList<>();
        Map<String, Path> labels = new HashMap<>();
        for (Path source : task.sources()) {
            Path plain = PathGuard.requirePlain(what + "sources", source);
            if (plain.getFileName() == null) {
                throw DlstationException.badInput(what + "sources: '" + source + "' is a file system root; "
                        + "back up the folders in it that matter");
            }
            Path clash = labels.putIfAbsent(plain.getFileName().toString(), plain);
            if (clash != null) {
                throw DlstationException.badInput(what + "sources: " + clash + " and " + plain + " have the same name '"
                        + plain.getFileName() + "', which labels them in the backup; back up their common parent instead");
            }
            Path real = effective(plain);
            sources.add(real);
            if (overlap(real, destination)) {
                throw DlstationException.badInput(what + "destination " + task.destination()
                        + (destination.startsWith(real) ? " is inside the source " : " holds the source ") + source
                        + "; each backup would copy the ones before it; choose a destination outside every source");
            }
        }
        refuseOverlaps(what + "sources: ", task.sources(), sources);
        return destination;
    }

    private static void refuseOverlaps(String what, List<Path> written, List<Path> resolved) {
        for (int i = 0; i < resolved.size(); i++) {
            for (int j = i + 1; j < resolved.size(); j++) {
                if (overlap(resolved.get(i), resolved.get(j))) {
                    throw DlstationException.badInput(what + written.get(i) + " and " + written.get(j)
                            + " overlap (one is inside the other); list each folder once");
                }
            }
        }
    }

    private static boolean overlap(Path a, Path b) {
        return a.startsWith(b) || b.startsWith(a);
    }

    /** The real path of {@code path}, or of its deepest existing folder with the rest appended. */
    static Path effective(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute));
        } catch (IOException e) {
            return absolute;
        }
    }
}
