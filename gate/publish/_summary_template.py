# ruff: noqa
# fmt: off
# Generated from gate/publish/templates/summary.md.j2
# by `python -m gate.publish.markdown`: do not edit.
# The template as Jinja2 compiles it, so that a check does not compile it; used only
# while JINJA2 and SOURCE match (gate/publish/markdown.py),
# checked by tests/publish/test_report.py.
JINJA2 = '3.1.6'
SOURCE = '6032f40be024fb1d79367fee3868fd779154a9ebe879ecfd210f19a9b9aeed6f'
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'summary.md.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_headline = resolve('headline')
    l_0_result = resolve('result')
    l_0_title = resolve('title')
    l_0_ctx = resolve('ctx')
    l_0_verdict = resolve('verdict')
    l_0_b = resolve('b')
    l_0_btitle = resolve('btitle')
    l_0_failed = resolve('failed')
    l_0_has_delta = resolve('has_delta')
    l_0_scenarios = resolve('scenarios')
    l_0_scenarios_checked = resolve('scenarios_checked')
    l_0_hidden_scenarios = resolve('hidden_scenarios')
    l_0_failing = resolve('failing')
    l_0_failing_total = resolve('failing_total')
    l_0_hidden_runs = resolve('hidden_runs')
    l_0_evidence = resolve('evidence')
    l_0_hidden_evidence = resolve('hidden_evidence')
    l_0_version = resolve('version')
    try:
        t_1 = environment.filters['html_text']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'html_text' found.")
    try:
        t_2 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_3 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_4 = environment.filters['md_cell']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'md_cell' found.")
    try:
        t_5 = environment.filters['md_lines']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'md_lines' found.")
    try:
        t_6 = environment.filters['md_text']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'md_text' found.")
    try:
        t_7 = environment.filters['number']
    except KeyError:
        @internalcode
        def t_7(*unused):
            raise TemplateRuntimeError("No filter named 'number' found.")
    try:
        t_8 = environment.filters['replace']
    except KeyError:
        @internalcode
        def t_8(*unused):
            raise TemplateRuntimeError("No filter named 'replace' found.")
    try:
        t_9 = environment.filters['url']
    except KeyError:
        @internalcode
        def t_9(*unused):
            raise TemplateRuntimeError("No filter named 'url' found.")
    try:
        t_10 = environment.tests['false']
    except KeyError:
        @internalcode
        def t_10(*unused):
            raise TemplateRuntimeError("No test named 'false' found.")
    try:
        t_11 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_11(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    try:
        t_12 = environment.tests['true']
    except KeyError:
        @internalcode
        def t_12(*unused):
            raise TemplateRuntimeError("No test named 'true' found.")
    pass
    yield '## '
    yield str((undefined(name='headline') if l_0_headline is missing else l_0_headline))
    yield '\n\n'
    if (undefined(name='result') if l_0_result is missing else l_0_result):
        pass
        l_0_title = (t_6(environment.getattr((undefined(name='result') if l_0_result is missing else l_0_result), 'name'), 200) if environment.getattr((undefined(name='result') if l_0_result is missing else l_0_result), 'name') else str_join(('Result ', t_6(environment.getattr((undefined(name='result') if l_0_result is missing else l_0_result), 'id'), 40), )))
        context.vars['title'] = l_0_title
        context.exported_vars.add('title')
        yield '**'
        if environment.getattr((undefined(name='result') if l_0_result is missing else l_0_result), 'url'):
            pass
            yield '['
            yield str((undefined(name='title') if l_0_title is missing else l_0_title))
            yield ']('
            yield str(t_9(environment.getattr((undefined(name='result') if l_0_result is missing else l_0_result), 'url')))
            yield ')'
        else:
            pass
            yield str((undefined(name='title') if l_0_title is missing else l_0_title))
        yield '**'
        if environment.getattr((undefined(name='result') if l_0_result is missing else l_0_result), 'id'):
            pass
            yield ' (id '
            yield str(t_6(environment.getattr((undefined(name='result') if l_0_result is missing else l_0_result), 'id'), 40))
            yield ')'
        yield ' · status `'
        yield str((t_4(environment.getattr((undefined(name='result') if l_0_result is missing else l_0_result), 'status'), 40) or 'missing'))
        yield '` · '
        yield str(environment.getattr((undefined(name='result') if l_0_result is missing else l_0_result), 'total_runs'))
        yield ' run'
        yield str(('' if (environment.getattr((undefined(name='result') if l_0_result is missing else l_0_result), 'total_runs') == 1) else 's'))
        yield ' · policy: '
        yield str(t_6(environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'policy_source'), 200))
        yield '\n'
    else:
        pass
        yield '**Result '
        yield str((t_6(environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'result_id'), 40) or 'unknown'))
        yield '** · policy: '
        yield str(t_6(environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'policy_source'), 200))
        yield '\n'
    if environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'baseline'):
        pass
        l_0_b = environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'baseline')
        context.vars['b'] = l_0_b
        context.exported_vars.add('b')
        if environment.getattr((undefined(name='b') if l_0_b is missing else l_0_b), 'found'):
            pass
            l_0_btitle = (t_6(environment.getattr((undefined(name='b') if l_0_b is missing else l_0_b), 'name'), 200) if environment.getattr((undefined(name='b') if l_0_b is missing else l_0_b), 'name') else str_join(('Result ', t_6(environment.getattr((undefined(name='b') if l_0_b is missing else l_0_b), 'id'), 40), )))
            context.vars['btitle'] = l_0_btitle
            context.exported_vars.add('btitle')
            yield '\nBaseline: **'
            if environment.getattr((undefined(name='b') if l_0_b is missing else l_0_b), 'url'):
                pass
                yield '['
                yield str((undefined(name='btitle') if l_0_btitle is missing else l_0_btitle))
                yield ']('
                yield str(t_9(environment.getattr((undefined(name='b') if l_0_b is missing else l_0_b), 'url')))
                yield ')'
            else:
                pass
                yield str((undefined(name='btitle') if l_0_btitle is missing else l_0_btitle))
            yield '** (id '
            yield str(t_6(environment.getattr((undefined(name='b') if l_0_b is missing else l_0_b), 'id'), 40))
            yield ')'
            if environment.getattr((undefined(name='b') if l_0_b is missing else l_0_b), 'created_at'):
                pass
                yield ' · created '
                yield str(t_6(t_8(context.eval_ctx, environment.getattr((undefined(name='b') if l_0_b is missing else l_0_b), 'created_at')[:16], 'T', ' '), 40))
            yield ' · '
            yield str(t_6(environment.getattr((undefined(name='b') if l_0_b is missing else l_0_b), 'how'), 300))
            yield '\n'
        else:
            pass
            yield '\nBaseline: **not found** ('
            yield str(t_6(environment.getattr((undefined(name='b') if l_0_b is missing else l_0_b), 'how'), 300))
            yield '): '
            yield str(t_6(environment.getattr((undefined(name='b') if l_0_b is missing else l_0_b), 'reason'), 500))
            yield '\n'
    yield '\n'
    if (environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'kind') == 'error'):
        pass
        yield '**What happened ('
        yield str(t_6(environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'error_kind'), 100))
        yield '):** '
        yield str(t_5(environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'reason')))
        yield '\n\nThe gate neither passed nor failed the agent: it could not reach a verdict.\n'
    elif (environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'kind') == 'fail'):
        pass
        l_0_failed = environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'failed_checks')
        context.vars['failed'] = l_0_failed
        context.exported_vars.add('failed')
        yield '**'
        yield str(t_3((undefined(name='failed') if l_0_failed is missing else l_0_failed)))
        yield ' check'
        yield str(('' if (t_3((undefined(name='failed') if l_0_failed is missing else l_0_failed)) == 1) else 's'))
        yield ' failed:** '
        l_1_loop = missing
        for l_1_c, l_1_loop in LoopContext((undefined(name='failed') if l_0_failed is missing else l_0_failed), undefined):
            _loop_vars = {}
            pass
            yield str(t_6(environment.getattr(l_1_c, 'title'), 200))
            yield ' is '
            yield str(t_6(environment.getattr(l_1_c, 'actual'), 200))
            yield ', needs '
            yield str(t_6(environment.getattr(l_1_c, 'threshold'), 100))
            yield str(('; ' if (not environment.getattr(l_1_loop, 'last')) else '.'))
        l_1_loop = l_1_c = missing
        yield '\n'
    else:
        pass
        yield 'All '
        yield str(t_3(environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'checks')))
        yield ' checks held'
        if environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'warnings'):
            pass
            yield ', with '
            yield str(t_3(environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'warnings')))
            yield ' warning'
            yield str(('' if (t_3(environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'warnings')) == 1) else 's'))
        yield '.\n'
    if environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'checks'):
        pass
        yield '\n'
        if (undefined(name='has_delta') if l_0_has_delta is missing else l_0_has_delta):
            pass
            yield '| Check | Threshold | Actual | vs baseline | Result |\n|---|---|---|---|---|\n'
        else:
            pass
            yield '| Check | Threshold | Actual | Result |\n|---|---|---|---|\n'
        for l_1_c in environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'checks'):
            l_1_icon = resolve('icon')
            _loop_vars = {}
            pass
            yield '| '
            yield str(t_4(environment.getattr(l_1_c, 'title')))
            yield ' | '
            yield str(t_4(environment.getattr(l_1_c, 'threshold')))
            yield ' | '
            yield str(t_4(environment.getattr(l_1_c, 'actual')))
            if (environment.getattr(l_1_c, 'detail') and (not environment.getattr(l_1_c, 'held'))):
                pass
                yield '<br>'
                yield str(t_4(environment.getattr(l_1_c, 'detail')))
            yield ' |'
            if (undefined(name='has_delta') if l_0_has_delta is missing else l_0_has_delta):
                pass
                yield ' '
                yield str((str_join((t_4(environment.getattr(l_1_c, 'delta')), ' (was ', t_4(environment.getattr(l_1_c, 'baseline')), ')', )) if environment.getattr(l_1_c, 'delta') else '—'))
                yield ' |'
            yield ' '
            yield str(environment.getitem((undefined(name='icon') if l_1_icon is missing else l_1_icon), environment.getattr(l_1_c, 'outcome')))
            if ((not environment.getattr(l_1_c, 'held')) and (environment.getattr(l_1_c, 'level') == 'warn')):
                pass
                yield ' (warn)'
            yield ' |\n'
        l_1_c = l_1_icon = missing
    if (undefined(name='scenarios') if l_0_scenarios is missing else l_0_scenarios):
        pass
        yield '\n'
        if (undefined(name='scenarios_checked') if l_0_scenarios_checked is missing else l_0_scenarios_checked):
            pass
            yield '### Scenarios ('
            yield str(t_3(environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'scenarios')))
            yield ', worst first)\n'
        else:
            pass
            yield '<details><summary>Scenarios ('
            yield str(t_3(environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'scenarios')))
            yield ', worst first)</summary>\n'
        yield '\n| Scenario | Runs | Succeeded | Success rate |'
        if (environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'baseline') and environment.getattr(environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'baseline'), 'found')):
            pass
            yield ' vs baseline |'
        yield ' Result |\n|---|---|---|---|'
        if (environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'baseline') and environment.getattr(environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'baseline'), 'found')):
            pass
            yield '---|'
        yield '---|\n'
        for l_1_s in (undefined(name='scenarios') if l_0_scenarios is missing else l_0_scenarios):
            l_1_icon = resolve('icon')
            _loop_vars = {}
            pass
            yield '| '
            yield str(t_4(environment.getattr(l_1_s, 'name')))
            if (not t_11(environment.getattr(l_1_s, 'scenario_id'))):
                pass
                yield ' ('
                yield str(environment.getattr(l_1_s, 'scenario_id'))
                yield ')'
            yield ' | '
            yield str(environment.getattr(l_1_s, 'runs'))
            yield ' | '
            yield str(environment.getattr(l_1_s, 'passed'))
            yield ' | '
            yield str(t_7(environment.getattr(l_1_s, 'rate')))
            yield '% |'
            if (environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'baseline') and environment.getattr(environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'baseline'), 'found')):
                pass
                yield ' '
                if (not t_11(environment.getattr(l_1_s, 'baseline_rate'))):
                    pass
                    yield str((str_join(('↑ ', t_7((environment.getattr(l_1_s, 'rate') - environment.getattr(l_1_s, 'baseline_rate'))), ' pp', )) if ((environment.getattr(l_1_s, 'rate') - environment.getattr(l_1_s, 'baseline_rate')) >= 0.005) else (str_join(('↓ ', t_7((environment.getattr(l_1_s, 'baseline_rate') - environment.getattr(l_1_s, 'rate'))), ' pp', )) if ((environment.getattr(l_1_s, 'baseline_rate') - environment.getattr(l_1_s, 'rate')) >= 0.005) else '→ no change')))
                    yield ' (was '
                    yield str(t_7(environment.getattr(l_1_s, 'baseline_rate')))
                    yield '%)'
                else:
                    pass
                    yield 'new'
                yield ' |'
            yield ' '
            if environment.getattr(l_1_s, 'outcome'):
                pass
                yield str(environment.getitem((undefined(name='icon') if l_1_icon is missing else l_1_icon), environment.getattr(l_1_s, 'outcome')))
            elif (environment.getattr(l_1_s, 'passed') == environment.getattr(l_1_s, 'runs')):
                pass
                yield 'all passed'
            else:
                pass
                yield str((environment.getattr(l_1_s, 'runs') - environment.getattr(l_1_s, 'passed')))
                yield ' failed (not checked)'
            yield ' |\n'
        l_1_s = l_1_icon = missing
        if (undefined(name='hidden_scenarios') if l_0_hidden_scenarios is missing else l_0_hidden_scenarios):
            pass
            yield '| _and '
            yield str((undefined(name='hidden_scenarios') if l_0_hidden_scenarios is missing else l_0_hidden_scenarios))
            yield ' more scenario'
            yield str(('' if ((undefined(name='hidden_scenarios') if l_0_hidden_scenarios is missing else l_0_hidden_scenarios) == 1) else 's'))
            yield '_ | | | |'
            if (environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'baseline') and environment.getattr(environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'baseline'), 'found')):
                pass
                yield ' |'
            yield ' |\n'
        if (not (undefined(name='scenarios_checked') if l_0_scenarios_checked is missing else l_0_scenarios_checked)):
            pass
            yield '\n</details>\n'
    if ((undefined(name='result') if l_0_result is missing else l_0_result) and environment.getattr((undefined(name='result') if l_0_result is missing else l_0_result), 'performance_metrics')):
        pass
        yield '\n<details><summary>Rubric rules ('
        yield str(t_3(environment.getattr((undefined(name='result') if l_0_result is missing else l_0_result), 'performance_metrics')))
        yield ')</summary>\n\n| Metric | Aggregated value | Condition | Met |\n|---|---|---|---|\n'
        for l_1_r in environment.getattr((undefined(name='result') if l_0_result is missing else l_0_result), 'performance_metrics'):
            _loop_vars = {}
            pass
            yield '| '
            yield str(t_4(environment.getattr(l_1_r, 'metric')))
            yield ' | '
            yield str((t_7(environment.getattr(l_1_r, 'value')) if (not t_11(environment.getattr(l_1_r, 'value'))) else '—'))
            yield ' | '
            yield str((t_4(environment.getattr(l_1_r, 'conditions')) or '—'))
            yield ' | '
            yield str(('✅' if t_12(environment.getattr(l_1_r, 'met')) else ('❌' if t_10(environment.getattr(l_1_r, 'met')) else '❔')))
            yield ' |\n'
        l_1_r = missing
        yield '\n</details>\n'
    if (undefined(name='failing') if l_0_failing is missing else l_0_failing):
        pass
        yield '\n### Failing runs ('
        yield str((undefined(name='failing_total') if l_0_failing_total is missing else l_0_failing_total))
        yield ' of '
        yield str(environment.getattr((undefined(name='result') if l_0_result is missing else l_0_result), 'total_runs'))
        yield ')\n\n| Scenario | Run | Status | Reason |\n|---|---|---|---|\n'
        for l_1_run in (undefined(name='failing') if l_0_failing is missing else l_0_failing):
            _loop_vars = {}
            pass
            yield '| '
            yield str(t_4(environment.getattr(l_1_run, 'scenario_name')))
            yield ' | '
            yield str(t_4(environment.getattr(l_1_run, 'id'), 40))
            yield ' | '
            yield str((t_4(environment.getattr(l_1_run, 'status'), 40) or '—'))
            yield ' | '
            yield str(t_4(environment.getattr(l_1_run, 'reason')))
            yield ' |\n'
        l_1_run = missing
        if (undefined(name='hidden_runs') if l_0_hidden_runs is missing else l_0_hidden_runs):
            pass
            yield '| _and '
            yield str((undefined(name='hidden_runs') if l_0_hidden_runs is missing else l_0_hidden_runs))
            yield ' more failing run'
            yield str(('' if ((undefined(name='hidden_runs') if l_0_hidden_runs is missing else l_0_hidden_runs) == 1) else 's'))
            yield '_ | | | |\n'
        if (undefined(name='evidence') if l_0_evidence is missing else l_0_evidence):
            pass
            yield '\n#### Evidence, worst first\n\n'
            l_1_loop = missing
            for l_1_e, l_1_loop in LoopContext((undefined(name='evidence') if l_0_evidence is missing else l_0_evidence), undefined):
                l_1_recording = l_1_run_link = missing
                _loop_vars = {}
                pass
                yield '<details><summary>❌ <b>'
                yield str(t_1(environment.getattr(l_1_e, 'scenario'), 120))
                yield '</b> · run '
                yield str(t_1(environment.getattr(l_1_e, 'run_id'), 40))
                yield str((str_join((' · ', t_1(environment.getattr(l_1_e, 'status'), 40), )) if environment.getattr(l_1_e, 'status') else ''))
                yield str((str_join((' · ', t_1(environment.getattr(l_1_e, 'duration'), 20), )) if environment.getattr(l_1_e, 'duration') else ''))
                yield ' · '
                yield str(t_1(environment.getattr(l_1_e, 'reason'), 160))
                yield '</summary>\n\n'
                for l_2_f in environment.getattr(l_1_e, 'findings'):
                    _loop_vars = {}
                    pass
                    yield '- **'
                    yield str(t_6(environment.getattr(l_2_f, 'label'), 200))
                    yield '**'
                    yield str((str_join((': ', t_4(environment.getattr(l_2_f, 'explanation'), 600), )) if environment.getattr(l_2_f, 'explanation') else ''))
                    yield '\n'
                l_2_f = missing
                l_1_recording = t_9(environment.getattr(l_1_e, 'recording_url'))
                _loop_vars['recording'] = l_1_recording
                l_1_run_link = t_9(environment.getattr(l_1_e, 'run_url'))
                _loop_vars['run_link'] = l_1_run_link
                if ((undefined(name='recording') if l_1_recording is missing else l_1_recording) or (undefined(name='run_link') if l_1_run_link is missing else l_1_run_link)):
                    pass
                    yield '- '
                    yield str((str_join(('[Recording](', (undefined(name='recording') if l_1_recording is missing else l_1_recording), ')', )) if (undefined(name='recording') if l_1_recording is missing else l_1_recording) else ''))
                    yield str((' · ' if ((undefined(name='recording') if l_1_recording is missing else l_1_recording) and (undefined(name='run_link') if l_1_run_link is missing else l_1_run_link)) else ''))
                    yield str((str_join(('[Run](', (undefined(name='run_link') if l_1_run_link is missing else l_1_run_link), ')', )) if (undefined(name='run_link') if l_1_run_link is missing else l_1_run_link) else ''))
                    yield '\n'
                yield '\n'
                if environment.getattr(l_1_e, 'turns'):
                    pass
                    yield str(('Transcript, with the turns the explanation points at (👉):' if environment.getattr(l_1_e, 'turns_named') else 'Transcript, last turns:'))
                    yield '\n\n'
                    l_2_loop = missing
                    for l_2_t, l_2_loop in LoopContext(environment.getattr(l_1_e, 'turns'), undefined):
                        _loop_vars = {}
                        pass
                        if ((not environment.getattr(l_2_loop, 'first')) and (environment.getattr(l_2_t, 'index') > (environment.getattr(environment.getattr(l_2_loop, 'previtem'), 'index') + 1))):
                            pass
                            yield '> …\n>\n'
                        yield '> '
                        yield str(('👉 ' if environment.getattr(l_2_t, 'named') else ''))
                        yield '**'
                        yield str((t_6(environment.getattr(l_2_t, 'role'), 40) or '?'))
                        yield '**'
                        yield str((str_join((' (', t_6(environment.getattr(l_2_t, 'time'), 12), ')', )) if environment.getattr(l_2_t, 'time') else ''))
                        yield ': '
                        yield str(t_4(environment.getattr(l_2_t, 'content'), 400))
                        yield '\n'
                        if (not environment.getattr(l_2_loop, 'last')):
                            pass
                            yield '>\n'
                    l_2_loop = l_2_t = missing
                    yield '\n'
                yield '</details>\n'
            l_1_loop = l_1_e = l_1_recording = l_1_run_link = missing
            if (undefined(name='hidden_evidence') if l_0_hidden_evidence is missing else l_0_hidden_evidence):
                pass
                yield '\n_Evidence for '
                yield str((undefined(name='hidden_evidence') if l_0_hidden_evidence is missing else l_0_hidden_evidence))
                yield ' more failing run'
                yield str(('' if ((undefined(name='hidden_evidence') if l_0_hidden_evidence is missing else l_0_hidden_evidence) == 1) else 's'))
                yield ' is left out to fit the size limit; see the JSON report or the dashboard._\n'
    if ((undefined(name='result') if l_0_result is missing else l_0_result) and (environment.getattr((undefined(name='result') if l_0_result is missing else l_0_result), 'failed_reasons') or environment.getattr((undefined(name='result') if l_0_result is missing else l_0_result), 'ai_summary'))):
        pass
        yield "\n### Cekura's analysis\n\n"
        for l_1_reason in environment.getattr((undefined(name='result') if l_0_result is missing else l_0_result), 'failed_reasons')[:10]:
            l_1_detail_limit = resolve('detail_limit')
            _loop_vars = {}
            pass
            yield '- '
            yield str(t_4(l_1_reason, (undefined(name='detail_limit') if l_1_detail_limit is missing else l_1_detail_limit)))
            yield '\n'
        l_1_reason = l_1_detail_limit = missing
        if environment.getattr((undefined(name='result') if l_0_result is missing else l_0_result), 'ai_summary'):
            pass
            yield '\n'
            for l_1_line in context.call(environment.getattr(environment.getattr((undefined(name='result') if l_0_result is missing else l_0_result), 'ai_summary'), 'splitlines')):
                l_1_detail_limit = resolve('detail_limit')
                _loop_vars = {}
                pass
                yield '> '
                yield str(t_6(l_1_line, (undefined(name='detail_limit') if l_1_detail_limit is missing else l_1_detail_limit)))
                yield '\n'
            l_1_line = l_1_detail_limit = missing
    yield '\n'
    if (environment.getattr((undefined(name='verdict') if l_0_verdict is missing else l_0_verdict), 'kind') == 'fail'):
        pass
        yield '**What to do:** open the failing runs in the Cekura dashboard, fix the agent and re-run; or, if the threshold is wrong, change it in '
        yield str(t_6(environment.getattr((undefined(name='ctx') if l_0_ctx is missing else l_0_ctx), 'policy_source'), 200))
        yield '.\n'
    yield '<sub>cekura-gate '
    yield str((undefined(name='version') if l_0_version is missing else l_0_version))
    if ((undefined(name='result') if l_0_result is missing else l_0_result) and environment.getattr((undefined(name='result') if l_0_result is missing else l_0_result), 'notes')):
        pass
        yield ' · '
        yield str(t_6(t_2(context.eval_ctx, environment.getattr((undefined(name='result') if l_0_result is missing else l_0_result), 'notes'), '; '), 500))
    yield '</sub>\n'

blocks = {}
debug_info = '1=102&3=104&4=106&5=110&7=138&9=142&10=144&11=147&12=149&14=153&17=176&21=181&22=184&25=188&26=190&27=194&30=213&32=222&34=225&41=231&42=236&45=258&47=261&48=264&50=269&53=272&54=276&55=280&56=285&58=324&59=327&61=335&66=338&68=341&72=343&73=347&78=357&80=360&84=364&85=368&87=377&88=380&90=384&94=388&95=393&97=401&98=405&100=410&101=412&102=414&103=417&106=422&107=424&109=427&110=430&114=434&115=442&123=449&125=452&129=456&133=459&134=464&136=467&138=470&139=475&144=479&145=482&147=485'
