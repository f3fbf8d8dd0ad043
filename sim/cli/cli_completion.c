// SPDX-License-Identifier: BSD-3-Clause
/*
 * tzsim completion bash: a bash completion script made from the same
 * tables as --help (cli_commands[], cli_opts[]), so a new option or
 * command completes the day it is added. It completes the commands, each
 * command's options, their values (--kernel, --trace, files and
 * directories) and the operand, and for --vary the scenario's key paths
 * and, after `=`, the values of keys that take one of a few words
 * (transport.kind=spi ...). The key paths are vary_keys[] below plus
 * platform.cost_overrides.<every cost name> from the cost table;
 * tests/cli_test.sh checks that vary_keys[] and
 * sim/scenario/SCENARIO_KEYS.md name the same keys.
 *
 * Install: `tzsim completion bash > /etc/bash_completion.d/tzsim`, or
 * `. <(tzsim completion bash)` in ~/.bashrc. Needs no bash-completion
 * package.
 */
#include <string.h>

#include "sim/cli/cli.h"
#include "sim/kernel/costs.h"

/* Scenario key paths for --vary, and the words some of them take. */
static const struct {
	const char *key;
	const char *values; /* NULL: anything */
} vary_keys[] = {
	{ "name", NULL },
	{ "description", NULL },
	{ "seed", NULL },
	{ "stop", NULL },
	{ "stop.after", NULL },
	{ "stop.notifications", NULL },
	{ "kernel", "native systemc" },
	{ "check", "true false" },
	{ "ties", NULL },
	{ "ties.order", "fifo lifo random" },
	{ "ties.seed", NULL },
	{ "ties.from", NULL },
	{ "ties.to", NULL },
	{ "platform", NULL },
	{ "platform.dts", NULL },
	{ "platform.cpus", NULL },
	{ "platform.clock", NULL },
	{ "platform.costs", "cortex-a53 cortex-a72" },
	{ "platform.cost_overrides", NULL },
	{ "platform.gic.pend_to_wire", NULL },
	{ "platform.gic.ack_rearb", NULL },
	{ "platform.gic.sgi_delay", NULL },
	{ "platform.gic.prio_bits", "4 5 6 7 8" },
	{ "transport", NULL },
	{ "transport.kind", "spi ppi sgi ffa" },
	{ "transport.intid", NULL },
	{ "transport.trigger", "edge level" },
	{ "transport.routing", "fixed 1-of-N" },
	{ "transport.target", "self all-but-self" },
	{ "transport.spmc", "s-el1 s-el2" },
	{ "transport.raise", "fixed upstream" },
	{ "transport.ffa_bottom_half", "workqueue inline" },
	{ "tee", NULL },
	{ "tee.threads", NULL },
	{ "tee.async_notif", "true false" },
	{ "tee.notif_raise", "every when_empty" },
	{ "ree", NULL },
	{ "ree.irq_affinity", NULL },
	{ "ree.eoimode", "0 1" },
	{ "ree.preempt", "full voluntary none" },
	{ "ree.scheduler", "eevdf cfs" },
	{ "ree.call_queue", "thread_count ethread_limit" },
	{ "fidelity", NULL },
	{ "fidelity.monitor", "abstract isa" },
	{ "fidelity.tee", "abstract isa" },
	{ "fidelity.ree", "abstract isa" },
	{ "ree.notif_drain", "loop once" },
	{ "ree.pcpu_disable", "online_dyn after_offline" },
	{ "sources", NULL },
	{ "sources[0].name", NULL },
	{ "sources[0].kind", "uart timer trng" },
	{ "sources[0].world", "secure normal" },
	{ "sources[0].intid", NULL },
	{ "sources[0].trigger", "edge level" },
	{ "sources[0].cpu", NULL },
	{ "sources[0].arrival", NULL },
	{ "sources[0].arrival.periodic", NULL },
	{ "sources[0].arrival.poisson", NULL },
	{ "sources[0].arrival.burst", NULL },
	{ "sources[0].arrival.replay", NULL },
	{ "sources[0].top_half", NULL },
	{ "sources[0].bottom_half", NULL },
	{ "sources[0].per_item", NULL },
	{ "sources[0].fifo", NULL },
	{ "sources[0].notify", "bottom_half value" },
	{ "workloads", NULL },
	{ "workloads[0].kind", "ta_invoke cpu_bound" },
	{ "workloads[0].name", NULL },
	{ "workloads[0].rate", NULL },
	{ "workloads[0].secure_work", NULL },
	{ "workloads[0].work", NULL },
	{ "workloads[0].cpus", NULL },
	{ "workloads[0].wait_for", NULL },
	{ "timeline", NULL },
	{ "timeline[0].at", NULL },
	{ "timeline[0].cpu_off", NULL },
	{ "timeline[0].cpu_on", NULL },
	{ "timeline[0].suspend", NULL },
	{ "timeline[0].storm", NULL },
	{ "timeline[0].mask_window", NULL },
	{ "timeline[0].load", NULL },
	{ "outputs", NULL },
	{ "outputs.trace", "csv perfetto vcd hgrm" },
	{ "outputs.el3", "pass legs" },
	{ "expect", NULL },
};

/* What an option's value completes to, from its row. */
static const char *value_kind(const struct cli_opt *o)
{
	switch (o->kind) {
	case CLI_KERNEL:
		return "words:native systemc";
	case CLI_TRACE:
		return "words:none csv perfetto vcd hgrm csv,perfetto,vcd,hgrm";
	case CLI_PRESET:
		return "words:cortex-a53 cortex-a72";
	case CLI_ASSIGN:
	case CLI_ASSIGN_LIST:
		return "vary";
	case CLI_STRING:
		return !strcmp(o->expect, "a directory") ? "dir" : "file";
	default:
		return "none";
	}
}

static void bash(FILE *f)
{
	fprintf(f, "# bash completion for tzsim, made by `tzsim completion bash` from its option table.\n"
		   "# Install: tzsim completion bash > /etc/bash_completion.d/tzsim   (or source it from ~/.bashrc)\n"
		   "_tzsim_vary_keys='");
	for (size_t i = 0; i < sizeof(vary_keys) / sizeof(vary_keys[0]); i++)
		fprintf(f, "%s%s", i ? " " : "", vary_keys[i].key);
	for (int c = 0; c < SIM_COST_COUNT; c++)
		fprintf(f, " platform.cost_overrides.%s", sim_cost_name((enum sim_cost_id)c));
	fprintf(f, "'\n_tzsim_vary_values() {\n\tcase $1 in\n");
	for (size_t i = 0; i < sizeof(vary_keys) / sizeof(vary_keys[0]); i++)
		if (vary_keys[i].values) {
			const char *k = vary_keys[i].key;
			fputs("\t", f);
			for (; *k; k++) /* [ and ] are pattern characters in a case label */
				fprintf(f, *k == '[' || *k == ']' ? "\\%c" : "%c", *k);
			fprintf(f, ") echo '%s' ;;\n", vary_keys[i].values);
		}
	fprintf(f, "\tesac\n}\n");

	fprintf(f, "_tzsim() {\n"
		   "\tlocal line=${COMP_LINE:0:$COMP_POINT} cur prev cmd words='' kind=''\n"
		   "\tlocal -a w\n"
		   "\tread -ra w <<<\"$line\"\n"
		   "\t[[ $line == *[[:space:]] || ${#w[@]} -eq 0 ]] && w+=('')\n"
		   "\tcur=${w[${#w[@]}-1]}\n"
		   "\tprev=''; [ ${#w[@]} -ge 2 ] && prev=${w[${#w[@]}-2]}\n"
		   "\tcmd=''; [ ${#w[@]} -ge 3 ] && cmd=${w[1]}\n"
		   "\tCOMPREPLY=()\n"
		   "\tif [ ${#w[@]} -le 2 ]; then\n"
		   "\t\twords='--help --version");
	for (const struct cli_command *c = cli_commands; c->name; c++)
		fprintf(f, " %s", c->name);
	fprintf(f, "'\n\telse\n\t\tcase $cmd in\n");
	for (const struct cli_command *c = cli_commands; c->name; c++) {
		fprintf(f, "\t\t%s)\n\t\t\tcase $prev in\n", c->name);
		for (const struct cli_opt *o = cli_opts; o->name; o++) {
			if (!(o->cmds & c->cmd) || !o->arg)
				continue;
			fprintf(f, "\t\t\t--%s", o->name);
			if (o->short_name)
				fprintf(f, "|-%c", o->short_name);
			fprintf(f, ") kind='%s' ;;\n", value_kind(o));
		}
		fprintf(f, "\t\t\t*) if [[ $cur == -* ]]; then words='");
		bool first = true;
		for (const struct cli_opt *o = cli_opts; o->name; o++) {
			bool dup = false;
			if (!(o->cmds & c->cmd))
				continue;
			for (const struct cli_opt *p = cli_opts; p < o; p++)
				dup |= (p->cmds & c->cmd) && !strcmp(p->name, o->name);
			if (dup)
				continue;
			fprintf(f, "%s--%s", first ? "" : " ", o->name);
			if (o->short_name)
				fprintf(f, " -%c", o->short_name);
			first = false;
		}
		/* the operand: a scenario, a directory, a word ("bash"), or nothing (calibrate) */
		fprintf(f, "'; else kind='%s%s'; fi ;;\n\t\t\tesac ;;\n",
			!strcmp(c->complete, "yaml") || !strcmp(c->complete, "dir") || !c->complete[0] ? "" : "words:",
			c->complete);
	}
	fprintf(f, "\t\tesac\n\tfi\n"
		   "\tcase $kind in\n"
		   "\twords:*) words=${kind#words:} ;;\n"
		   "\tfile) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
		   "\tdir) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\")) ;;\n"
		   "\tyaml) compopt -o filenames 2>/dev/null\n"
		   "\t\tCOMPREPLY=($(compgen -d -- \"$cur\") $(compgen -f -X '!*.y*ml' -- \"$cur\")) ;;\n"
		   "\tvary) if [[ $cur == *=* ]]; then\n"
		   "\t\t\tlocal k=${cur%%%%=*} v\n"
		   "\t\t\tfor v in $(_tzsim_vary_values \"$k\"); do words+=\" $k=$v\"; done\n"
		   "\t\telse\n"
		   "\t\t\tcompopt -o nospace 2>/dev/null\n"
		   "\t\t\tfor v in $_tzsim_vary_keys; do words+=\" $v=\"; done\n"
		   "\t\tfi ;;\n"
		   "\tesac\n"
		   "\t[ -n \"$words\" ] && COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
		   "\t# bash splits words at = and : (COMP_WORDBREAKS): give back what follows the last of them in cur\n"
		   "\tif [[ $cur == *[=:]* ]]; then\n"
		   "\t\tlocal pre=${cur%%\"${cur##*[=:]}\"} i\n"
		   "\t\tfor i in \"${!COMPREPLY[@]}\"; do COMPREPLY[i]=${COMPREPLY[i]#\"$pre\"}; done\n"
		   "\tfi\n"
		   "}\n"
		   "complete -F _tzsim tzsim\n");
}

int cli_completion(const struct cli_args *a)
{
	if (strcmp(a->operand, "bash"))
		return cli_usage_error(a->command, "completion: bash is the one shell tzsim writes a completion for, not '%s'",
				       a->operand);
	bash(stdout);
	return 0;
}
