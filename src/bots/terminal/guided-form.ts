import type { FormField, ReplyForm } from '../core/reply.ts';
import { toPlainText } from '../core/reply.ts';

/**
 * A form asked in the terminal one field at a time. Each answer is read by `answer()`; when every field has been
 * asked, `done` holds the values to submit. A refused submission comes back as the same form with problems: only
 * the fields with a problem are asked again. The checks themselves are the core's, on submit.
 */
export class GuidedForm {
  private readonly fields: FormField[];
  private readonly values: Record<string, string | string[]> = {};
  private index = 0;

  constructor(readonly form: ReplyForm) {
    for (const f of form.fields) if (f.value !== undefined) this.values[f.name] = f.value;
    const withProblems = form.fields.filter((f) => f.problem);
    this.fields = withProblems.length > 0 ? withProblems : form.fields;
  }

  get done(): boolean {
    return this.index >= this.fields.length;
  }

  /** The value to send with the form's submit action: `{ctx, fields}` as JSON. */
  submission(): string {
    return JSON.stringify({ ctx: this.form.submit.value, fields: this.values });
  }

  /** The question for the current field: label, problem, choices, what Enter keeps. */
  question(): string {
    const f = this.fields[this.index]!;
    const lines: string[] = [];
    if (f.problem) lines.push(`  ! ${toPlainText(f.problem)}`);
    const notes = [f.required ? 'required' : 'optional', ...(f.hint ? [toPlainText(f.hint)] : [])];
    lines.push(`${this.index + 1}/${this.fields.length} ${f.label} (${notes.join('; ')})`);
    if (f.options && (f.input === 'choice' || f.input === 'choices')) {
      lines.push(`  ${f.options.map((o, i) => `${i + 1}) ${o.label}`).join('  ')}`);
      if (f.input === 'choices') lines.push('  Several: numbers separated by commas, e.g. 1,3');
    }
    const current = this.values[f.name];
    const shown = Array.isArray(current)
      ? current.map((v) => labelOf(f, v)).join(', ')
      : current
        ? labelOf(f, current)
        : '';
    lines.push(
      shown ? `  Enter keeps: ${shown}   ("-" clears it, "cancel" stops)` : '  Enter skips   ("cancel" stops)',
    );
    return lines.join('\n');
  }

  /** Reads one answer; returns a message when it cannot be used (the same field is then asked again). */
  answer(line: string): string | undefined {
    const f = this.fields[this.index]!;
    const typed = line.trim();
    if (typed === '-') {
      delete this.values[f.name];
    } else if (typed !== '') {
      if (f.input === 'choice' || f.input === 'choices') {
        const picked = (f.input === 'choice' ? [typed] : typed.split(','))
          .map((t) => pick(f, t.trim()))
          .filter((t) => t !== '');
        if (picked.some((p) => p === undefined))
          return `Please answer with the numbers shown (1–${f.options?.length ?? 0}).`;
        this.values[f.name] = f.input === 'choice' ? (picked[0] as string) : (picked as string[]);
      } else {
        this.values[f.name] = typed;
      }
    }
    this.index++;
    return undefined;
  }
}

function labelOf(field: FormField, value: string): string {
  return field.options?.find((o) => o.value === value)?.label ?? value;
}

/** A choice by its number, value or label; undefined when none matches. */
function pick(field: FormField, typed: string): string | undefined {
  const options = field.options ?? [];
  if (/^\d+$/.test(typed)) return options[Number(typed) - 1]?.value;
  const lower = typed.toLowerCase();
  return options.find((o) => o.value.toLowerCase() === lower || o.label.toLowerCase() === lower)?.value;
}
