/**
 * The {@code cds} command line: run patients through rule packs, test scenario files, validate
 * rule files and run populations, with {@link io.github.cdsengine.cli.CdsCli} as its entry point.
 */
package io.github.cdsengine.cli;
