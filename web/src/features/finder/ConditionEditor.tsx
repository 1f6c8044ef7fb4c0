// One condition of the search builder: what it is about, how it compares, its value(s) in the
// input that suits them, and whether it is negated.
import { useEffect, useRef } from "react";

import { useI18n } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/catalog";
import { Field } from "../../ui/Field";
import {
  DATE_FIELDS,
  DATE_OPS,
  TEXT_FIELDS,
  TEXT_OPS,
  leafFor,
  subjectOf,
  type ConditionNode,
  type DraftProblem,
  type Leaf,
  type Subject,
} from "./filterTree";
import { useGroups, useMembershipTypes } from "./finderApi";

interface ConditionEditorProps {
  node: ConditionNode;
  label: string;
  problem: DraftProblem | undefined;
  focus: boolean;
  onFocused: () => void;
  onChange: (node: ConditionNode) => void;
  onRemove: () => void;
}

export function ConditionEditor(props: ConditionEditorProps) {
  const { t } = useI18n();
  const { node, onChange, onFocused, focus } = props;
  const subjectRef = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    if (focus) {
      subjectRef.current?.focus();
      onFocused();
    }
  }, [focus, onFocused]);

  const setLeaf = (leaf: Leaf) => onChange({ ...node, leaf });
  const error = props.problem ? t(`finder.problem.${props.problem}` as MessageKey) : undefined;

  return (
    <fieldset className="finder-condition">
      <legend>{props.label}</legend>
      <div className="finder-row">
        <Field label={t("finder.condition.subject")}>
          {(control) => (
            <select
              {...control}
              ref={subjectRef}
              value={subjectOf(node.leaf)}
              onChange={(event) =>
                setLeaf(leafFor(event.target.value as Subject, node.leaf))
              }
            >
              <SubjectOptions />
            </select>
          )}
        </Field>
        <LeafEditor leaf={node.leaf} error={error} onChange={setLeaf} />
        <label className="finder-not">
          <input
            type="checkbox"
            checked={node.negated}
            onChange={(event) => onChange({ ...node, negated: event.target.checked })}
          />{" "}
          {t("finder.not")}
        </label>
        <button
          type="button"
          className="btn finder-remove"
          aria-label={t("finder.condition.removeNamed", { name: props.label })}
          onClick={props.onRemove}
        >
          {t("finder.condition.remove")}
        </button>
      </div>
    </fieldset>
  );
}

function SubjectOptions() {
  const { t } = useI18n();
  return (
    <>
      <optgroup label={t("finder.subjects.text")}>
        {TEXT_FIELDS.map((field) => (
          <option key={field} value={`text:${field}`}>
            {t(`finder.field.${field}` as MessageKey)}
          </option>
        ))}
      </optgroup>
      <optgroup label={t("finder.subjects.date")}>
        {DATE_FIELDS.map((field) => (
          <option key={field} value={`date:${field}`}>
            {t(`finder.field.${field}` as MessageKey)}
          </option>
        ))}
      </optgroup>
      <optgroup label={t("finder.subjects.other")}>
        {(["age", "group", "membership", "family", "company"] as const).map((kind) => (
          <option key={kind} value={kind}>
            {t(`finder.field.${kind}`)}
          </option>
        ))}
      </optgroup>
    </>
  );
}

interface LeafEditorProps<L extends Leaf = Leaf> {
  leaf: L;
  error: string | undefined;
  onChange: (leaf: Leaf) => void;
}

function LeafEditor({ leaf, error, onChange }: LeafEditorProps) {
  switch (leaf.kind) {
    case "text":
      return <TextEditor leaf={leaf} error={error} onChange={onChange} />;
    case "date":
      return <DateEditor leaf={leaf} error={error} onChange={onChange} />;
    case "age":
      return <AgeEditor leaf={leaf} error={error} onChange={onChange} />;
    case "group":
      return <GroupChooser leaf={leaf} error={error} onChange={onChange} />;
    case "membership":
      return <MembershipEditor leaf={leaf} error={error} onChange={onChange} />;
    default:
      return <LinkedEditor leaf={leaf} error={error} onChange={onChange} />;
  }
}

function OperatorField<Op extends string>(props: {
  value: Op;
  ops: readonly Op[];
  onChange: (op: Op) => void;
}) {
  const { t } = useI18n();
  return (
    <Field label={t("finder.condition.operator")}>
      {(control) => (
        <select
          {...control}
          value={props.value}
          onChange={(event) => props.onChange(event.target.value as Op)}
        >
          {props.ops.map((op) => (
            <option key={op} value={op}>
              {t(`finder.op.${op}` as MessageKey)}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

function TextEditor({ leaf, error, onChange }: LeafEditorProps<Extract<Leaf, { kind: "text" }>>) {
  const { t } = useI18n();
  const needsValue = leaf.op !== "empty" && leaf.op !== "not_empty";
  return (
    <>
      <OperatorField value={leaf.op} ops={TEXT_OPS} onChange={(op) => onChange({ ...leaf, op })} />
      {needsValue ? (
        <Field label={t("finder.condition.value")} error={error}>
          {(control) => (
            <input
              {...control}
              type={leaf.field === "email" ? "email" : leaf.field === "phone" ? "tel" : "text"}
              maxLength={200}
              value={leaf.value ?? ""}
              onChange={(event) => onChange({ ...leaf, value: event.target.value })}
            />
          )}
        </Field>
      ) : null}
    </>
  );
}

function DateEditor({ leaf, error, onChange }: LeafEditorProps<Extract<Leaf, { kind: "date" }>>) {
  const { t } = useI18n();
  const op = leaf.op ?? "in_range";
  return (
    <>
      <OperatorField value={op} ops={DATE_OPS} onChange={(next) => onChange({ ...leaf, op: next })} />
      {op === "in_range" ? (
        <>
          <Field label={t("finder.condition.after")}>
            {(control) => (
              <input
                {...control}
                type="date"
                value={leaf.after ?? ""}
                onChange={(event) => onChange({ ...leaf, after: event.target.value || null })}
              />
            )}
          </Field>
          <Field label={t("finder.condition.before")} error={error}>
            {(control) => (
              <input
                {...control}
                type="date"
                value={leaf.before ?? ""}
                onChange={(event) => onChange({ ...leaf, before: event.target.value || null })}
              />
            )}
          </Field>
        </>
      ) : null}
    </>
  );
}

function asYears(text: string): number | null {
  return text === "" ? null : Math.max(0, Math.min(150, Math.trunc(Number(text))));
}

function AgeEditor({ leaf, error, onChange }: LeafEditorProps<Extract<Leaf, { kind: "age" }>>) {
  const { t } = useI18n();
  return (
    <>
      <Field label={t("finder.condition.minAge")}>
        {(control) => (
          <input
            {...control}
            type="number"
            inputMode="numeric"
            min={0}
            max={150}
            className="finder-number"
            value={leaf.min ?? ""}
            onChange={(event) => onChange({ ...leaf, min: asYears(event.target.value) })}
          />
        )}
      </Field>
      <Field label={t("finder.condition.maxAge")} error={error}>
        {(control) => (
          <input
            {...control}
            type="number"
            inputMode="numeric"
            min={0}
            max={150}
            className="finder-number"
            value={leaf.max ?? ""}
            onChange={(event) => onChange({ ...leaf, max: asYears(event.target.value) })}
          />
        )}
      </Field>
    </>
  );
}

function selectedValues(select: HTMLSelectElement): string[] {
  return Array.from(select.selectedOptions, (option) => option.value);
}

function GroupChooser({ leaf, error, onChange }: LeafEditorProps<Extract<Leaf, { kind: "group" }>>) {
  const { t } = useI18n();
  const groups = useGroups();
  const items = groups.data?.items ?? [];
  const known = new Set(items.map((group) => group.id));
  // A saved search may name a group that has since been deleted: kept, shown as unknown.
  const unknown = leaf.group_ids.filter((id) => !known.has(id));
  return (
    <>
      <OperatorField
        value={leaf.op ?? "in"}
        ops={["in", "not_in"] as const}
        onChange={(op) => onChange({ ...leaf, op })}
      />
      <Field
        label={t("finder.condition.groups")}
        hint={t("finder.condition.multiHint")}
        error={error ?? (groups.isError ? t("finder.groupsUnavailable") : undefined)}
      >
        {(control) => (
          <select
            {...control}
            multiple
            size={Math.min(5, Math.max(2, items.length + unknown.length))}
            value={leaf.group_ids}
            onChange={(event) => onChange({ ...leaf, group_ids: selectedValues(event.target) })}
          >
            {items.map((group) => (
              <option key={group.id} value={group.id}>
                {group.name}
              </option>
            ))}
            {unknown.map((id) => (
              <option key={id} value={id}>
                {t("finder.unknownGroup")}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}

function MembershipEditor({
  leaf,
  onChange,
}: LeafEditorProps<Extract<Leaf, { kind: "membership" }>>) {
  const { t } = useI18n();
  const types = useMembershipTypes();
  const items = types.data?.items ?? [];
  return (
    <>
      <Field label={t("finder.condition.status")}>
        {(control) => (
          <select
            {...control}
            value={leaf.status ?? "member"}
            onChange={(event) =>
              onChange({ ...leaf, status: event.target.value as "member" | "non_member" })
            }
          >
            <option value="member">{t("finder.op.member")}</option>
            <option value="non_member">{t("finder.op.non_member")}</option>
          </select>
        )}
      </Field>
      {types.allowed ? (
        <Field label={t("finder.condition.types")} hint={t("finder.condition.typesHint")}>
          {(control) => (
            <select
              {...control}
              multiple
              size={Math.min(5, Math.max(2, items.length))}
              value={leaf.type_ids ?? []}
              onChange={(event) => onChange({ ...leaf, type_ids: selectedValues(event.target) })}
            >
              {items.map((type) => (
                <option key={type.id} value={type.id}>
                  {type.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      <Field label={t("finder.condition.on")} hint={t("finder.condition.onHint")}>
        {(control) => (
          <input
            {...control}
            type="date"
            value={leaf.on ?? ""}
            onChange={(event) => onChange({ ...leaf, on: event.target.value || null })}
          />
        )}
      </Field>
    </>
  );
}

function LinkedEditor({
  leaf,
  onChange,
}: LeafEditorProps<Extract<Leaf, { kind: "family" | "company" }>>) {
  const { t } = useI18n();
  const linked = leaf.linked ?? true;
  const chosen = leaf.kind === "family" ? leaf.family_ids : leaf.company_ids;
  return (
    <Field
      label={t("finder.condition.operator")}
      hint={chosen?.length ? t("finder.condition.chosenIds", { count: chosen.length }) : undefined}
    >
      {(control) => (
        <select
          {...control}
          value={linked ? "linked" : "unlinked"}
          onChange={(event) => onChange({ ...leaf, linked: event.target.value === "linked" })}
        >
          <option value="linked">{t(`finder.op.${leaf.kind}.linked`)}</option>
          <option value="unlinked">{t(`finder.op.${leaf.kind}.unlinked`)}</option>
        </select>
      )}
    </Field>
  );
}
