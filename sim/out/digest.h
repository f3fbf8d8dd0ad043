/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sim/out/digest.h: a stable fingerprint of the record stream, for golden runs.
 *
 * The digest sink writes every record as a canonical 64-byte record (t,
 * kind, code, cpu, world, notif, a, b, c, d and a hash of the label's text;
 * little-endian, fixed layout, independent of the host and of pointer
 * values: digest.c) and the digest is XXH3-64 (libxxhash) of the sequence
 * of them: tzsim record digest v2. Unless made with digest_new_flat, it
 * also keeps the top 24 bits of every record's own XXH3-64 (3 bytes a
 * record, a growable array), so a golden file can tell which record is the
 * first to differ.
 *
 * Golden file (text, traces/golden/<scenario>.seed<N>.golden):
 *
 *   tzsim-golden v2
 *   digest <16 hex digits>
 *   records <n>
 *   hashes
 *   <base64 of the 3-byte record hashes, 4 characters a record, 76 a line>
 *
 * To show the first differing record, re-run the scenario with a
 * digest_capture sink on the index digest_compare_golden returned.
 *
 * No global state; never prints, never exits.
 */
#ifndef SIM_DIGEST_H
#define SIM_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/kernel/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

struct digest;

/* A new digest of the empty stream, or NULL when out of memory. */
struct digest *digest_new(void);
/*
 * The same without the record-hash list: flat memory however long the run,
 * for runs that write and compare no golden file. digest_value and
 * digest_count are exact; digest_record_hash24 returns 0,
 * digest_write_golden fails (EINVAL) and digest_compare_golden cannot
 * locate a difference (as when the list was lost).
 */
struct digest *digest_new_flat(void);
void digest_free(struct digest *d);

/*
 * The sink: sim_trace_add_sink(tr, digest_sink, d). When the record-hash
 * list cannot grow (out of memory) the digest itself stays exact; only
 * digest_write_golden fails and digest_compare_golden cannot locate a
 * difference.
 */
void digest_sink(void *ctx, const struct sim_rec *r);
/*
 * The same records through @tr's record log (trace.h: sim_trace_take_log),
 * which sim_trace_emit fills inline: the digest goes on with every record
 * emitted from now on, seen before any sink sees it. Where the canonical
 * record is not struct sim_rec's bytes (a big-endian host), it is
 * digest_sink added as a sink. Returns 0, or -1 when @d is attached or @tr
 * has a log consumer already (or no sink slot is left). @d stays attached
 * until @tr is freed or drops its log (sim_trace_drop_log), and keeps what
 * it took after that; it must not be freed before then. While attached, use
 * digest_sink no more.
 */
int digest_attach(struct digest *d, struct sim_trace *tr);

/* The digest of the records seen so far (depends on their order and count). */
uint64_t digest_value(const struct digest *d);
/* Records seen so far. */
uint64_t digest_count(const struct digest *d);
/* The 24-bit hash of record @i (0-based); 0 when @i is out of range or the list was lost. */
uint32_t digest_record_hash24(const struct digest *d, uint64_t i);
/*
 * digest_set_header - the first @n records are the run's header (fidelity:
 * isa: the guest images' hashes): they count in the digest, but
 * digest_compare_golden reports the first difference after them when there
 * is one, so a rebuilt guest image names the first record it changed.
 */
void digest_set_header(struct digest *d, uint64_t n);
/* The full 64-bit hash of one record (its top 24 bits are what the list keeps). */
uint64_t digest_rec_hash(const struct sim_rec *r);

/*
 * Write @d's golden file to @path atomically (creating directories).
 * Returns 0, or -1 (I/O error, or the record-hash list was lost) with errno set.
 */
int digest_write_golden(const char *path, const struct digest *d);

/*
 * Compare @d with the golden file at @path. Returns 0 when digest and
 * record count agree; 1 when they differ, with *first_diff_index set to the
 * index of the first record whose hash differs, or to min(n_old, n_new)
 * when one stream is a prefix of the other (UINT64_MAX, with a message in
 * @err, when the difference cannot be located); -1 when the golden file is
 * missing, unreadable or malformed, with a message in @err.
 * @first_diff_index and @err may be NULL.
 */
int digest_compare_golden(const char *path, const struct digest *d, uint64_t *first_diff_index, char *err,
			  size_t errlen);

/*
 * Second pass: a sink that keeps the CSV lines (sim_rec_csv, no newline) of
 * records @index - 1 and @index of a re-run, to show what changed.
 */
#define DIGEST_CAPTURE_TEXT 512
struct digest_capture {
	uint64_t index;
	uint64_t seen;
	bool have_prev, have_at;
	char prev[DIGEST_CAPTURE_TEXT]; /* record index - 1 */
	char at[DIGEST_CAPTURE_TEXT];   /* record index */
};
void digest_capture_init(struct digest_capture *c, uint64_t index);
void digest_capture_sink(void *ctx, const struct sim_rec *r);

#ifdef __cplusplus
}
#endif
#endif
