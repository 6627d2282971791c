package io.dlstation.maintain.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dlstation.error.DlstationException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Sizes, ages and cron expressions as users write them. */
class ValuesTest {
    @ParameterizedTest
    @CsvSource({"10G, 10737418240", "10GB, 10737418240", "10GiB, 10737418240", "1.5T, 1649267441664", "500m, 524288000",
        "4096, 4096", "0, 0", "1k, 1024"})
    void sizes(String text, long bytes) {
        assertThat(ByteSize.parse(text).bytes()).isEqualTo(bytes);
        assertThat(ByteSize.parse(ByteSize.parse(text).toString()).bytes()).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ten", "-1G", "10X", "1.2.3G", "99999999999P"})
    void badSizes(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text)).isInstanceOf(DlstationException.class)
                .hasMessageContaining("size '" + text + "'");
    }

    @ParameterizedTest
    @CsvSource({"30d, PT720H", "12h, PT12H", "90m, PT1H30M", "45s, PT45S", "2w, PT336H", "P30D, PT720H", "0d, PT0S"})
    void ages(String text, String iso) {
        assertThat(AgeLimit.parse(text).duration()).isEqualTo(Duration.parse(iso));
        assertThat(AgeLimit.parse(AgeLimit.parse(text).toString()).duration()).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "30 days", "-1d", "1.5d", "d"})
    void badAges(String text) {
        assertThatThrownBy(() -> AgeLimit.parse(text)).isInstanceOf(DlstationException.class)
                .hasMessageContaining("age '" + text + "' is not an age");
    }

    @Test
    void cronIsUnixCronInTheGivenZone() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        CronSchedule daily = CronSchedule.parse(CronSchedule.DAILY_AT_2);
        // 2025-06-04 is a Wednesday; Berlin is UTC+2 in summer
        assertThat(daily.next(Instant.parse("2025-06-04T00:30:00Z"), berlin)).hasValue(Instant.parse("2025-06-05T00:00:00Z"));
        assertThat(daily.next(Instant.parse("2025-06-03T23:59:00Z"), berlin)).hasValue(Instant.parse("2025-06-04T00:00:00Z"));
        CronSchedule sundays = CronSchedule.parse(CronSchedule.SUNDAYS_AT_3);
        assertThat(sundays.next(Instant.parse("2025-06-04T12:00:00Z"), ZoneId.of("UTC")))
                .hasValue(Instant.parse("2025-06-08T03:00:00Z"));
        assertThat(CronSchedule.parse("0 3 * * 7").next(Instant.parse("2025-06-04T12:00:00Z"), ZoneId.of("UTC")))
                .hasValue(Instant.parse("2025-06-08T03:00:00Z"));
        assertThat(CronSchedule.parse("@hourly").next(Instant.parse("2025-06-04T12:00:00Z"), ZoneId.of("UTC")))
                .hasValue(Instant.parse("2025-06-04T13:00:00Z"));
        assertThat(daily.latestAtOrBefore(Instant.parse("2025-06-04T02:00:00Z"), ZoneId.of("UTC")))
                .hasValue(Instant.parse("2025-06-04T02:00:00Z"));
        assertThat(daily.latestAtOrBefore(Instant.parse("2025-06-04T01:59:59Z"), ZoneId.of("UTC")))
                .hasValue(Instant.parse("2025-06-03T02:00:00Z"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0 2 * * | five fields",
        "61 2 * * * | is not a Unix cron expression",
        "0 2 30 2 * | never fires",
        "@reboot | is not a Unix cron expression",
        "'' | schedule is empty",
    })
    void badCron(String text, String message) {
        assertThatThrownBy(() -> CronSchedule.parse(text)).isInstanceOf(DlstationException.class)
                .hasMessageContaining(message);
    }
}
