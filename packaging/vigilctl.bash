# bash completion for vigilctl (installed as
# /usr/share/bash-completion/completions/vigilctl). Commands and options are
# those of `vigilctl --help`.
# COMPREPLY=($(compgen ...)) is the usual idiom: words never hold blanks here.
# shellcheck disable=SC2207

_vigilctl() {
    local cur prev words cword
    if declare -F _init_completion >/dev/null; then
        _init_completion || return
    else
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    fi

    local commands="validate launch follow jobs runs status checkpoints decide
        revise audit wait cancel site helper"
    local options="--help --help-all --version --ssh-config --workflow
        --accept-new-host-key --run --checkpoint --option --comment --param --task
        --timeout --poll --all --pending --job --site-override --site --kind --host
        --user --port --identity --known-hosts --proxy-jump --run-root --partition
        --account --replace --follow --lease-heartbeat --revise --dry-run --list
        --json --verbose"

    # Options that take a value.
    case $prev in
    -F | --ssh-config | --identity | --known-hosts)
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    -w | --workflow | --revise)
        COMPREPLY=($(compgen -f -X '!*.toml' -- "$cur") $(compgen -d -- "$cur"))
        return
        ;;
    --kind)
        COMPREPLY=($(compgen -W "slurm ssh local" -- "$cur"))
        return
        ;;
    --run-root)
        COMPREPLY=($(compgen -d -- "$cur"))
        return
        ;;
    --run | --checkpoint | --option | --comment | --param | --task | --timeout | --poll | \
        --job | --site-override | --site | --host | --user | --port | --proxy-jump | \
        --partition | --account | --lease-heartbeat)
        return
        ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$options" -- "$cur"))
        return
    fi

    # The command: the first word that is neither an option nor an option's value.
    local i command=""
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
        -F | --ssh-config | -w | --workflow | --run | --checkpoint | --option | --comment | \
            --param | --task | --timeout | --poll | --job | --site-override | --site | --kind | \
            --host | --user | --port | --identity | --known-hosts | --proxy-jump | --run-root | \
            --partition | --account | --lease-heartbeat | --revise)
            ((i++))
            ;;
        -*) ;;
        *)
            command=${words[i]}
            break
            ;;
        esac
    done

    case $command in
    "")
        COMPREPLY=($(compgen -W "$commands" -- "$cur"))
        ;;
    site)
        if ((i + 1 == cword)); then
            COMPREPLY=($(compgen -W "add list remove test" -- "$cur"))
        fi
        ;;
    helper)
        if ((i + 1 == cword)); then
            COMPREPLY=($(compgen -W "deploy" -- "$cur"))
        fi
        ;;
    *)
        # A workflow file (or a revision file after `revise RUN`).
        COMPREPLY=($(compgen -f -X '!*.toml' -- "$cur") $(compgen -d -- "$cur"))
        ;;
    esac
}
complete -F _vigilctl vigilctl
