{{/* Names, labels and the pieces every Kring workload shares. */}}

{{- define "kring.fullname" -}}
{{- if contains "kring" .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-kring" .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "kring.labels" -}}
app.kubernetes.io/name: kring
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Selector labels of one component: (dict "root" $ "component" "contacts") */}}
{{- define "kring.selectorLabels" -}}
app.kubernetes.io/name: kring
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "kring.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "kring.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{ default (include "kring.fullname" .) .Values.serviceAccount.name }}
{{- else -}}
{{ default "default" .Values.serviceAccount.name }}
{{- end -}}
{{- end -}}

{{/* The database of a service: (dict "root" $ "database" "billing") */}}
{{- define "kring.databaseUrl" -}}
{{- $pg := .root.Values.postgres -}}
{{- if eq $pg.mode "cloudnativepg" -}}
postgresql+psycopg://{{ .database }}@{{ include "kring.fullname" .root }}-{{ .database }}-db-rw:5432/{{ .database }}?sslmode=require
{{- else -}}
{{- $name := index $pg.external.databases .database | required (printf "postgres.external.databases.%s is required" .database) -}}
postgresql+psycopg://{{ $pg.external.user }}@{{ $pg.external.host }}:{{ $pg.external.port }}/{{ $name }}?sslmode={{ $pg.external.sslmode }}
{{- end -}}
{{- end -}}

{{- define "kring.databasePasswordRef" -}}
{{- $pg := .root.Values.postgres -}}
{{- if eq $pg.mode "cloudnativepg" -}}
secretKeyRef: {name: {{ include "kring.fullname" .root }}-{{ .database }}-db-app, key: password}
{{- else -}}
secretKeyRef: {name: {{ $pg.external.passwordSecret.name }}, key: {{ $pg.external.passwordSecret.key }}}
{{- end -}}
{{- end -}}

{{- define "kring.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef: {name: {{ .ref.name | quote }}, key: {{ .ref.key | quote }}}
{{- end -}}

{{/* Environment of one process: (dict "root" $ "service" "gateway" "database" "gateway") */}}
{{- define "kring.env" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $public := trimSuffix "/" $v.publicUrl -}}
- {name: SERVICE_NAME, value: {{ .service | quote }}}
- {name: ENVIRONMENT, value: {{ $v.environment | quote }}}
- {name: DATABASE_URL, value: {{ include "kring.databaseUrl" . | quote }}}
- name: PGPASSWORD
  valueFrom:
    {{- include "kring.databasePasswordRef" . | nindent 4 }}
{{- if and (eq $v.postgres.mode "external") $v.postgres.external.caSecret }}
- {name: PGSSLROOTCERT, value: /etc/kring/postgres-ca/ca.crt}
{{- end }}
- {name: KAFKA_BOOTSTRAP_SERVERS, value: {{ $v.kafka.bootstrapServers | quote }}}
- {name: KAFKA_SECURITY_PROTOCOL, value: {{ $v.kafka.securityProtocol | quote }}}
{{- if $v.kafka.sasl.mechanism }}
- {name: KAFKA_SASL_MECHANISM, value: {{ $v.kafka.sasl.mechanism | quote }}}
- {name: KAFKA_SASL_USERNAME, value: {{ $v.kafka.sasl.username | required "kafka.sasl.username is required with a SASL mechanism" | quote }}}
{{ include "kring.secretEnv" (dict "name" "KAFKA_SASL_PASSWORD" "ref" $v.kafka.sasl.passwordSecret) }}
{{- end }}
{{- if $v.kafka.caSecret }}
- {name: KAFKA_SSL_CAFILE, value: /etc/kring/kafka-ca/ca.crt}
{{- end }}
{{ include "kring.secretEnv" (dict "name" "GATEWAY_IDENTITY_KEY" "ref" $v.secrets.gatewayIdentityKey) }}
- {name: SMTP_HOST, value: {{ $v.smtp.host | quote }}}
- {name: SMTP_PORT, value: {{ $v.smtp.port | quote }}}
- {name: SMTP_STARTTLS, value: {{ $v.smtp.starttls | quote }}}
- {name: SMTP_IMPLICIT_TLS, value: {{ $v.smtp.implicitTls | quote }}}
- {name: MAIL_FROM, value: {{ $v.smtp.mailFrom | quote }}}
{{- if $v.smtp.existingSecret }}
{{ include "kring.secretEnv" (dict "name" "SMTP_USERNAME" "ref" (dict "name" $v.smtp.existingSecret "key" "username")) }}
{{ include "kring.secretEnv" (dict "name" "SMTP_PASSWORD" "ref" (dict "name" $v.smtp.existingSecret "key" "password")) }}
{{- end }}
{{- if eq .service "gateway" }}
{{ include "kring.secretEnv" (dict "name" "TOKEN_SIGNING_KEY" "ref" $v.secrets.tokenSigningKey) }}
- {name: PUBLIC_BASE_URL, value: {{ $public | quote }}}
{{- range $other := list "contacts" "newsletters" "memberships" "billing" }}
- {name: {{ upper $other }}_URL, value: "http://{{ include "kring.fullname" $root }}-{{ $other }}:8000"}
{{- end }}
# Behind the ingress controller: the client's address comes from X-Forwarded-For.
- {name: FORWARDED_ALLOW_IPS, value: "*"}
{{- else if eq .service "newsletters" }}
{{ include "kring.secretEnv" (dict "name" "UNSUBSCRIBE_SECRET" "ref" $v.secrets.unsubscribeSecret) }}
- {name: PUBLIC_BASE_URL, value: {{ printf "%s/api/v1/newsletters" $public | quote }}}
{{- else if eq .service "memberships" }}
{{ include "kring.secretEnv" (dict "name" "CARD_SECRETS" "ref" $v.secrets.cardSecrets) }}
- {name: CARD_VERIFY_URL, value: {{ printf "%s/verify" $public | quote }}}
{{- else if eq .service "contacts" }}
- {name: RESOURCE_PROFILE_BASE_URL, value: {{ printf "%s/resources/" $public | quote }}}
{{- else if eq .service "billing-worker" }}
# Up to a replica per partition of the runs topic on billing's database: a small pool each.
- {name: DATABASE_POOL_SIZE, value: {{ $v.billingWorker.databasePoolSize | quote }}}
{{- end }}
{{- with $v.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "kring.volumes" -}}
# The root filesystem is read-only: temporary files (exports spool there) go here.
- name: tmp
  emptyDir: {sizeLimit: 1Gi}
{{- if and (eq .Values.postgres.mode "external") .Values.postgres.external.caSecret }}
- name: postgres-ca
  secret: {secretName: {{ .Values.postgres.external.caSecret | quote }}}
{{- end }}
{{- with .Values.kafka.caSecret }}
- name: kafka-ca
  secret: {secretName: {{ . | quote }}}
{{- end }}
{{- end -}}

{{- define "kring.volumeMounts" -}}
- {name: tmp, mountPath: /tmp}
{{- if and (eq .Values.postgres.mode "external") .Values.postgres.external.caSecret }}
- {name: postgres-ca, mountPath: /etc/kring/postgres-ca, readOnly: true}
{{- end }}
{{- if .Values.kafka.caSecret }}
- {name: kafka-ca, mountPath: /etc/kring/kafka-ca, readOnly: true}
{{- end }}
{{- end -}}

{{/* The pod spec of one process: (dict "root" $ "service" "contacts" "database" "contacts"
     "command" (list "serve" "contacts") "resources" (dict ...) "migrate" true) */}}
{{- define "kring.podSpec" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
serviceAccountName: {{ include "kring.serviceAccountName" $root }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml $v.podSecurityContext | nindent 2 }}
{{- with $v.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- if and .migrate (eq $v.migrations.mode "initContainer") }}
initContainers:
  - name: migrate
    image: {{ include "kring.image" $root }}
    imagePullPolicy: {{ $v.image.pullPolicy }}
    args: ["migrate", {{ .database | quote }}]
    env:
      {{- include "kring.env" . | nindent 6 }}
    {{- with $v.extraEnvFrom }}
    envFrom:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    securityContext:
      {{- toYaml $v.securityContext | nindent 6 }}
    volumeMounts:
      {{- include "kring.volumeMounts" $root | nindent 6 }}
{{- end }}
containers:
  - name: {{ .service }}
    image: {{ include "kring.image" $root }}
    imagePullPolicy: {{ $v.image.pullPolicy }}
    args:
      {{- toYaml .command | nindent 6 }}
    ports:
      - {name: http, containerPort: 8000, protocol: TCP}
    env:
      {{- include "kring.env" . | nindent 6 }}
    {{- with $v.extraEnvFrom }}
    envFrom:
      {{- toYaml . | nindent 6 }}
    {{- end }}
    startupProbe:
      httpGet: {path: /health/live, port: http}
      periodSeconds: 2
      failureThreshold: 60
    livenessProbe:
      httpGet: {path: /health/live, port: http}
      periodSeconds: 10
      timeoutSeconds: 3
      failureThreshold: 3
    readinessProbe:
      httpGet: {path: /health/ready, port: http}
      periodSeconds: 5
      timeoutSeconds: 3
      failureThreshold: 2
    resources:
      {{- toYaml .resources | nindent 6 }}
    securityContext:
      {{- toYaml $v.securityContext | nindent 6 }}
    volumeMounts:
      {{- include "kring.volumeMounts" $root | nindent 6 }}
volumes:
  {{- include "kring.volumes" $root | nindent 2 }}
{{- with $v.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $v.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "kring.podAnnotations" -}}
{{- if .Values.metrics.annotations }}
prometheus.io/scrape: "true"
prometheus.io/port: "8000"
prometheus.io/path: /metrics
{{- end }}
{{- end -}}
