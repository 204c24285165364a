package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/authgen/authgen/cmd/authgen/internal/initcmd"
	"github.com/authgen/authgen/cmd/authgen/internal/iostreams"
	"github.com/authgen/authgen/cmd/authgen/internal/project"
	"github.com/authgen/authgen/cmd/authgen/internal/usage"
	"github.com/authgen/authgen/generator/catalog"
)

// newCompletion returns the completion command, which prints the script a
// shell loads to complete authgen's commands, flags and values.
func newCompletion(ios *iostreams.IOStreams) *cobra.Command {
	shells := []string{"bash", "zsh", "fish", "powershell"}
	return &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print the shell completion script",
		Long: `Completion prints the script that makes your shell complete authgen's
commands and flags, provider ids (init --providers, add provider), the
values of init --db, --session, --token and --session-store, and the
providers configured in authgen.yaml (remove provider).

bash needs the bash-completion package; zsh needs "autoload -U compinit;
compinit" in ~/.zshrc.`,
		Example: `  # this shell only
  source <(authgen completion bash)
  # every new shell
  authgen completion bash > /etc/bash_completion.d/authgen
  authgen completion zsh > "${fpath[1]}/_authgen"
  authgen completion fish > ~/.config/fish/completions/authgen.fish
  authgen completion powershell | Out-String | Invoke-Expression`,
		ValidArgs: shells,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("completion takes one SHELL: %s", usage.OrList(shells))
			}
			return usage.OneOf("SHELL", args[0], shells)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(ios.Out, true)
			case "zsh":
				return root.GenZshCompletion(ios.Out)
			case "fish":
				return root.GenFishCompletion(ios.Out, true)
			default:
				return root.GenPowerShellCompletionWithDesc(ios.Out)
			}
		},
	}
}

// registerCompletions tells cobra what the commands' arguments and
// enumerated flags take: catalog ids, init's flag values, and the provider
// ids a project's authgen.yaml configures.
func registerCompletions(root *cobra.Command) {
	if c := find(root, "init"); c != nil {
		must(c.RegisterFlagCompletionFunc("providers", completeProviderList))
		for flag, values := range initcmd.FlagValues {
			must(c.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(values, cobra.ShellCompDirectiveNoFileComp)))
		}
	}
	if c := find(root, "add", "provider"); c != nil {
		c.ValidArgsFunction = firstArg(completeProviders)
	}
	if c := find(root, "remove", "provider"); c != nil {
		c.ValidArgsFunction = firstArg(completeConfigured)
	}
	if c := find(root, "providers"); c != nil {
		c.ValidArgsFunction = firstArg(completeProviders)
	}
}

// find returns the command at path below root, or nil.
func find(root *cobra.Command, path ...string) *cobra.Command {
	c, _, err := root.Find(path)
	if err != nil || c.Name() != path[len(path)-1] {
		return nil
	}
	return c
}

// must panics on a registration error, which only a wrong flag name in
// this file causes (TestCompletion registers them all).
func must(err error) {
	if err != nil {
		panic(err)
	}
}

// firstArg completes the first argument with complete, and nothing after.
func firstArg(complete func(toComplete string) []cobra.Completion) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return complete(toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// completeProviders are the catalog ids starting with toComplete, each
// described by its name and protocol.
func completeProviders(toComplete string) []cobra.Completion {
	var out []cobra.Completion
	for _, e := range catalog.All() {
		if strings.HasPrefix(e.ID, toComplete) {
			out = append(out, cobra.CompletionWithDesc(e.ID, fmt.Sprintf("%s (%s)", e.Name, e.Type)))
		}
	}
	return out
}

// completeProviderList completes the last id of a comma-separated
// --providers list, leaving out the ids it already has.
func completeProviderList(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	done, last := "", toComplete
	if i := strings.LastIndexByte(toComplete, ','); i >= 0 {
		done, last = toComplete[:i+1], toComplete[i+1:]
	}
	have := strings.Split(done, ",")
	var out []cobra.Completion
	for _, c := range completeProviders(last) {
		id, desc, _ := strings.Cut(c, "\t")
		if !slices.Contains(have, id) {
			out = append(out, cobra.CompletionWithDesc(done+id, desc))
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
}

// completeConfigured are the provider ids the project's authgen.yaml
// configures (in the module at or above the working directory), starting
// with toComplete; none outside a project.
func completeConfigured(toComplete string) []cobra.Completion {
	proj, err := project.Load(".")
	if err != nil {
		return nil
	}
	var out []cobra.Completion
	for _, p := range proj.Manifest.Providers {
		if strings.HasPrefix(p.ID, toComplete) {
			out = append(out, cobra.CompletionWithDesc(p.ID, p.CatalogID()))
		}
	}
	return out
}
