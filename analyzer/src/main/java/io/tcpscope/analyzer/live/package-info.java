/**
 * Live analysis on top of the shared engine: diagnoses raised once while a capture runs
 * ({@link io.tcpscope.analyzer.live.DiagnosisWatch}) and the refreshed terminal table
 * ({@link io.tcpscope.analyzer.live.LiveTable}). The capture loop itself is
 * {@code cli.LiveCommand}; the engine is the same {@code engine.Pipeline} as for files.
 */
package io.tcpscope.analyzer.live;
