/**
 * Time as the rest of the code sees it: a {@link io.dlstation.time.Ticker} to measure elapsed time and
 * a {@link io.dlstation.time.Scheduler} to run a task after a delay, each with a system
 * implementation. Every capability that times or waits takes them injected (as Caffeine does), so
 * tests move time by hand instead of sleeping. Dates and times of day come from {@link
 * java.time.Clock}, injected the same way. This package depends on nothing else in dlstation.
 */
package io.dlstation.time;
