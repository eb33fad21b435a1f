<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
<context>
    <name>main</name>
    <message>
        <source>Supervise AI workflows on HPC clusters, SSH hosts and this computer.</source>
        <translation>Supervisa flujos de trabajo de IA en clústeres HPC, máquinas SSH y este ordenador.</translation>
    </message>
    <message>
        <source>The workflow file (TOML).</source>
        <translation>El archivo del flujo de trabajo (TOML).</translation>
    </message>
    <message>
        <source>Use this ssh_config file instead of ~/.ssh/config.</source>
        <translation>Usa este archivo ssh_config en lugar de ~/.ssh/config.</translation>
    </message>
    <message>
        <source>Trust and remember host keys seen for the first time (like OpenSSH&apos;s accept-new); changed keys are still refused.</source>
        <translation>Confía en las claves de host vistas por primera vez y recuérdalas (como accept-new de OpenSSH); las claves que cambian se siguen rechazando.</translation>
    </message>
    <message>
        <source>Refresh every site every SECONDS (default 20).</source>
        <translation>Actualiza cada sitio cada SECONDS segundos (20 por omisión).</translation>
    </message>
    <message>
        <source>Save a picture of the window to PATH once every site has been refreshed, then quit.</source>
        <translation>Guarda una imagen de la ventana en PATH cuando todos los sitios se hayan actualizado y sale.</translation>
    </message>
    <message>
        <source>Take the screenshot after N ms at the latest (default 15000).</source>
        <translation>Toma la captura como muy tarde al cabo de N ms (15000 por omisión).</translation>
    </message>
    <message>
        <source>give at most one workflow file</source>
        <translation>indica como mucho un archivo de flujo de trabajo</translation>
    </message>
    <message>
        <source>--poll needs a number of seconds between 1 and 86400</source>
        <translation>--poll necesita un número de segundos entre 1 y 86400</translation>
    </message>
    <message>
        <source>--screenshot-delay-ms needs a number of milliseconds</source>
        <translation>--screenshot-delay-ms necesita un número de milisegundos</translation>
    </message>
    <message>
        <source>workflow</source>
        <translation>flujo de trabajo</translation>
    </message>
    <message>
        <source>sites</source>
        <translation>sitios</translation>
    </message>
</context>
<context>
    <name>vigil::CheckpointDialog</name>
    <message>
        <source>Checkpoint: %1</source>
        <translation>Punto de control: %1</translation>
    </message>
    <message>
        <source>run %1</source>
        <translation>ejecución %1</translation>
    </message>
    <message>
        <source>task %1</source>
        <translation>tarea %1</translation>
    </message>
    <message>
        <source>job %1</source>
        <translation>trabajo %1</translation>
    </message>
    <message>
        <source>site %1</source>
        <translation>sitio %1</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Dónde</translation>
    </message>
    <message>
        <source>Posted</source>
        <translation>Publicado</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Plazo</translation>
    </message>
    <message>
        <source>*The job gave no details.*</source>
        <translation>*El trabajo no ha dado detalles.*</translation>
    </message>
    <message>
        <source>Metrics not loaded</source>
        <translation>Métricas no cargadas</translation>
    </message>
    <message>
        <source>Comment (optional): recorded with the decision</source>
        <translation>Comentario (opcional): se registra con la decisión</translation>
    </message>
    <message>
        <source>%1 (default)</source>
        <translation>%1 (por omisión)</translation>
    </message>
    <message>
        <source>Decide &quot;%1&quot;</source>
        <translation>Decidir «%1»</translation>
    </message>
    <message>
        <source>Decide &quot;%1&quot; (%2)</source>
        <translation>Decidir «%1» (%2)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>ninguno</translation>
    </message>
    <message>
        <source>%1, then &quot;%2&quot;</source>
        <translation>%1; después, «%2»</translation>
    </message>
    <message>
        <source>The job offers no options to choose from.</source>
        <translation>El trabajo no ofrece opciones entre las que elegir.</translation>
    </message>
    <message>
        <source>Decision sent.</source>
        <translation>Decisión enviada.</translation>
    </message>
    <message>
        <source>The deadline passed; the job took the default: %1.</source>
        <translation>El plazo ha vencido; el trabajo ha tomado la opción por omisión: %1.</translation>
    </message>
    <message>
        <source>Decided by %1 at %2: %3.</source>
        <translation>Decidido por %1 el %2: %3.</translation>
    </message>
    <message>
        <source>The job applied it.</source>
        <translation>El trabajo la ha aplicado.</translation>
    </message>
    <message>
        <source>The job applied it: %1</source>
        <translation>El trabajo la ha aplicado: %1</translation>
    </message>
    <message>
        <source>The job has not read it yet.</source>
        <translation>El trabajo aún no la ha leído.</translation>
    </message>
    <message>
        <source>The job refused the decision: %1</source>
        <translation>El trabajo ha rechazado la decisión: %1</translation>
    </message>
    <message>
        <source>This checkpoint cannot be decided: %1</source>
        <translation>Este punto de control no se puede decidir: %1</translation>
    </message>
    <message>
        <source>Sending the decision &quot;%1&quot;…</source>
        <translation>Enviando la decisión «%1»…</translation>
    </message>
    <message>
        <source>Could not send the decision: %1</source>
        <translation>No se ha podido enviar la decisión: %1</translation>
    </message>
    <message>
        <source>Decision sent: %1</source>
        <translation>Decisión enviada: %1</translation>
    </message>
    <message>
        <source>Already decided by %1 at %2: option %3</source>
        <translation>Ya lo decidió %1 el %2: opción %3</translation>
    </message>
    <message>
        <source>Metrics not available</source>
        <translation>Métricas no disponibles</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Cargando %1…</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>No se ha podido leer %1: %2</translation>
    </message>
    <message>
        <source>No decision is needed any more: the %1</source>
        <translation>Ya no hace falta ninguna decisión: la %1</translation>
    </message>
</context>
<context>
    <name>vigil::CheckpointReview</name>
    <message>
        <source>Vigil is shutting down</source>
        <translation>Vigil se está cerrando</translation>
    </message>
</context>
<context>
    <name>vigil::CheckpointsModel</name>
    <message>
        <source>Pending</source>
        <translation>Pendiente</translation>
    </message>
    <message>
        <source>Decided</source>
        <translation>Decidido</translation>
    </message>
    <message>
        <source>Applied</source>
        <translation>Aplicado</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Rechazado</translation>
    </message>
    <message>
        <source>Broken</source>
        <translation>Dañado</translation>
    </message>
    <message>
        <source>%1: %2 (default after deadline)</source>
        <translation>%1: %2 (por omisión, tras el plazo)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Checkpoint %1 of run %2 on %3</source>
        <translation>Punto de control %1 de la ejecución %2 en %3</translation>
    </message>
    <message>
        <source>Decided by %1 at %2: %3</source>
        <translation>Decidido por %1 el %2: %3</translation>
    </message>
    <message>
        <source>No deadline</source>
        <translation>Sin plazo</translation>
    </message>
    <message>
        <source>%1; then the job takes &quot;%2&quot;</source>
        <translation>%1; después el trabajo toma «%2»</translation>
    </message>
    <message>
        <source>the default</source>
        <translation>la opción por omisión</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>Punto de control</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Ejecución</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Tarea</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Sitio</translation>
    </message>
    <message>
        <source>Posted</source>
        <translation>Publicado</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Plazo</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Cerrado</translation>
    </message>
</context>
<context>
    <name>vigil::Format</name>
    <message>
        <source>Unknown</source>
        <translation>Desconocido</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Sin empezar</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>En cola</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>En ejecución</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>Suspendido</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Correcto</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fallido</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelado</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Terminado</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 d</source>
        <translation>%1 d</translation>
    </message>
    <message>
        <source>now</source>
        <translation>ahora</translation>
    </message>
    <message>
        <source>in %1</source>
        <translation>dentro de %1</translation>
    </message>
    <message>
        <source>%1 ago</source>
        <translation>hace %1</translation>
    </message>
</context>
<context>
    <name>vigil::HostKeyPrompt</name>
    <message>
        <source>Unknown host key</source>
        <translation>Clave de host desconocida</translation>
    </message>
    <message>
        <source>The host key of %1 (site %2) is not known yet.</source>
        <translation>La clave de host de %1 (sitio %2) aún no es conocida.</translation>
    </message>
    <message>
        <source>Its fingerprint is:

%1

Trust it only if it matches the fingerprint published by the administrators of %2. Vigil will remember it in known_hosts.</source>
        <translation>Su huella es:

%1

Confíe en ella solo si coincide con la huella que publican los administradores de %2. Vigil la recordará en known_hosts.</translation>
    </message>
    <message>
        <source>&amp;Trust and Connect</source>
        <translation>&amp;Confiar y conectar</translation>
    </message>
</context>
<context>
    <name>vigil::InboxDelegate</name>
    <message>
        <source>due %1</source>
        <translation>vence %1</translation>
    </message>
    <message>
        <source>task %1</source>
        <translation>tarea %1</translation>
    </message>
</context>
<context>
    <name>vigil::InboxPanel</name>
    <message>
        <source>Show &amp;decided</source>
        <translation>Mostrar &amp;decididos</translation>
    </message>
    <message>
        <source>Double-click or press Enter to review a checkpoint</source>
        <translation>Haga doble clic o pulse Intro para revisar un punto de control</translation>
    </message>
    <message>
        <source>No checkpoint is waiting for you.</source>
        <translation>Ningún punto de control le está esperando.</translation>
    </message>
    <message>
        <source>No checkpoints.</source>
        <translation>No hay puntos de control.</translation>
    </message>
</context>
<context>
    <name>vigil::IssuesModel</name>
    <message>
        <source>Time</source>
        <translation>Hora</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Sitio</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Asunto</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
</context>
<context>
    <name>vigil::IssuesPanel</name>
    <message>
        <source>C&amp;lear</source>
        <translation>&amp;Vaciar</translation>
    </message>
    <message>
        <source>Remove every issue from the list</source>
        <translation>Quita todos los problemas de la lista</translation>
    </message>
</context>
<context>
    <name>vigil::JobsModel</name>
    <message>
        <source>%1 (exit %2)</source>
        <translation>%1 (salida %2)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 (partition %2)</source>
        <translation>%1 (partición %2)</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Sitio</translation>
    </message>
    <message>
        <source>Job ID</source>
        <translation>ID del trabajo</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nombre</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Ejecución</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Tarea</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motivo</translation>
    </message>
    <message>
        <source>Elapsed</source>
        <translation>Transcurrido</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Tiempo restante</translation>
    </message>
</context>
<context>
    <name>vigil::JobsPanel</name>
    <message>
        <source>&amp;Cancel Job</source>
        <translation>&amp;Cancelar el trabajo</translation>
    </message>
    <message>
        <source>Copy Job &amp;ID</source>
        <translation>Copiar el &amp;ID del trabajo</translation>
    </message>
    <message>
        <source>Show &amp;Run in Workflow</source>
        <translation>Mostrar la &amp;ejecución en el flujo</translation>
    </message>
    <message>
        <source>All jobs</source>
        <translation>Todos los trabajos</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Activos</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Terminados</translation>
    </message>
    <message>
        <source>Show jobs by state</source>
        <translation>Mostrar los trabajos según su estado</translation>
    </message>
    <message>
        <source>Show the jobs of one site</source>
        <translation>Mostrar los trabajos de un sitio</translation>
    </message>
    <message>
        <source>Show the jobs of one run</source>
        <translation>Mostrar los trabajos de una ejecución</translation>
    </message>
    <message>
        <source>Filter…</source>
        <translation>Filtrar…</translation>
    </message>
    <message>
        <source>All sites</source>
        <translation>Todos los sitios</translation>
    </message>
    <message>
        <source>All runs</source>
        <translation>Todas las ejecuciones</translation>
    </message>
</context>
<context>
    <name>vigil::MainWindow</name>
    <message>
        <source>Vigil</source>
        <translation>Vigil</translation>
    </message>
    <message>
        <source>Sites</source>
        <translation>Sitios</translation>
    </message>
    <message>
        <source>Inbox</source>
        <translation>Bandeja de entrada</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Trabajos</translation>
    </message>
    <message>
        <source>Issues</source>
        <translation>Problemas</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualizar</translation>
    </message>
    <message>
        <source>Ask every site for fresh data now (%1)</source>
        <translation>Pedir ahora datos nuevos a todos los sitios (%1)</translation>
    </message>
    <message>
        <source>&amp;Review Next Checkpoint</source>
        <translation>&amp;Revisar el siguiente punto de control</translation>
    </message>
    <message>
        <source>Review the selected or newest pending checkpoint (%1)</source>
        <translation>Revisar el punto de control pendiente seleccionado o el más reciente (%1)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;yuda</translation>
    </message>
    <message>
        <source>&amp;About Vigil</source>
        <translation>&amp;Acerca de Vigil</translation>
    </message>
    <message>
        <source>About Vigil</source>
        <translation>Acerca de Vigil</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Vigil %1&lt;/h3&gt;&lt;p&gt;Supervise AI workflows on HPC clusters, SSH hosts and this computer: follow jobs, and answer the questions they ask.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Vigil %1&lt;/h3&gt;&lt;p&gt;Supervise flujos de trabajo de IA en clústeres HPC, máquinas SSH y este ordenador: siga los trabajos y responda a las preguntas que hacen.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Acerca de &amp;Qt</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Principal</translation>
    </message>
    <message>
        <source>Run:</source>
        <translation>Ejecución:</translation>
    </message>
    <message>
        <source>The run the workflow view shows</source>
        <translation>La ejecución que muestra la vista del flujo</translation>
    </message>
    <message>
        <source>%1 — Vigil</source>
        <translation>%1 — Vigil</translation>
    </message>
    <message>
        <source>No checkpoint is waiting.</source>
        <translation>No hay ningún punto de control pendiente.</translation>
    </message>
    <message>
        <source>Checkpoint %1</source>
        <translation>Punto de control %1</translation>
    </message>
    <message>
        <source>Run %1, task %2 on %3 is waiting for a decision.</source>
        <translation>La ejecución %1, tarea %2 en %3, espera una decisión.</translation>
    </message>
    <message>
        <source>Inbox (%1)</source>
        <translation>Bandeja de entrada (%1)</translation>
    </message>
    <message>
        <source>Issues (%1)</source>
        <translation>Problemas (%1)</translation>
    </message>
    <message>
        <source>Jobs (%1)</source>
        <translation>Trabajos (%1)</translation>
    </message>
    <message>
        <source>Checkpoints waiting: %1</source>
        <translation>Puntos de control pendientes: %1</translation>
    </message>
    <message>
        <source>No checkpoint waiting</source>
        <translation>Ningún punto de control pendiente</translation>
    </message>
    <message>
        <source>Vigil: %1</source>
        <translation>Vigil: %1</translation>
    </message>
    <message>
        <source>(no run)</source>
        <translation>(ninguna ejecución)</translation>
    </message>
    <message>
        <source>Newest (%1)</source>
        <translation>La más reciente (%1)</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>Cancelar trabajo</translation>
    </message>
    <message>
        <source>Cancel job %1 on %2? Its work since the last checkpoint is lost.</source>
        <translation>¿Cancelar el trabajo %1 en %2? Se pierde lo calculado desde el último punto de control.</translation>
    </message>
    <message>
        <source>Cancelled job %1 on %2</source>
        <translation>Trabajo %1 cancelado en %2</translation>
    </message>
    <message>
        <source>Could not cancel job %1: %2</source>
        <translation>No se pudo cancelar el trabajo %1: %2</translation>
    </message>
</context>
<context>
    <name>vigil::MetricsChart</name>
    <message>
        <source>row</source>
        <translation>fila</translation>
    </message>
    <message>
        <source>%1: no numeric columns</source>
        <translation>%1: ninguna columna numérica</translation>
    </message>
</context>
<context>
    <name>vigil::Notifier</name>
    <message>
        <source>Checkpoints waiting: %1</source>
        <translation>Puntos de control pendientes: %1</translation>
    </message>
</context>
<context>
    <name>vigil::SitesModel</name>
    <message>
        <source>Disconnected</source>
        <translation>Desconectado</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Conectando…</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Conectado</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>SLURM</source>
        <translation>SLURM</translation>
    </message>
    <message>
        <source>SSH host</source>
        <translation>Máquina SSH</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>Este ordenador</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nunca</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>No data has arrived from this site yet</source>
        <translation>Aún no han llegado datos de este sitio</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Sitio</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Conexión</translation>
    </message>
    <message>
        <source>Data age</source>
        <translation>Antigüedad</translation>
    </message>
    <message>
        <source>Helper</source>
        <translation>Asistente</translation>
    </message>
    <message>
        <source>Active jobs</source>
        <translation>Trabajos activos</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Pendientes</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Último error</translation>
    </message>
    <message>
        <source>Scheduler: %1 (every %2 s)
Run directories: %3 (%4)</source>
        <translation>Planificador: %1 (cada %2 s)
Directorios de ejecución: %3 (%4)</translation>
    </message>
    <message>
        <source>streamed by vigil-job watch</source>
        <translation>transmitidos por vigil-job watch</translation>
    </message>
    <message>
        <source>scanned every cycle</source>
        <translation>explorados en cada ciclo</translation>
    </message>
    <message>
        <source>%1 · live</source>
        <translation>%1 · en vivo</translation>
    </message>
    <message>
        <source>none · SFTP polling</source>
        <translation>ninguno · sondeo SFTP</translation>
    </message>
    <message>
        <source>read over SFTP every cycle</source>
        <translation>leídos por SFTP en cada ciclo</translation>
    </message>
    <message>
        <source>vigil-job cannot run on this site (%1): the run directories are read over SFTP every cycle, and vigil-job is tried again every few minutes</source>
        <translation>vigil-job no puede ejecutarse en este sitio (%1): los directorios de ejecución se leen por SFTP en cada ciclo y vigil-job se vuelve a intentar cada pocos minutos</translation>
    </message>
</context>
<context>
    <name>vigil::TaskNodeItem</name>
    <message>
        <source>Task %1 on %2</source>
        <translation>Tarea %1 en %2</translation>
    </message>
    <message>
        <source>State: %1</source>
        <translation>Estado: %1</translation>
    </message>
    <message>
        <source>Job: %1</source>
        <translation>Trabajo: %1</translation>
    </message>
    <message>
        <source>Checkpoints waiting: %1 (double-click to review)</source>
        <translation>Puntos de control pendientes: %1 (doble clic para revisarlos)</translation>
    </message>
</context>
<context>
    <name>vigil::WorkflowStatus</name>
    <message>
        <source>exit %1</source>
        <translation>salida %1</translation>
    </message>
</context>
<context>
    <name>vigil::WorkflowView</name>
    <message>
        <source>No workflow loaded</source>
        <translation>Ningún flujo de trabajo cargado</translation>
    </message>
    <message>
        <source>Start Vigil with a workflow file: vigil WORKFLOW.toml</source>
        <translation>Inicie Vigil con un archivo de flujo de trabajo: vigil WORKFLOW.toml</translation>
    </message>
    <message>
        <source>No run yet</source>
        <translation>Aún no hay ejecuciones</translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>Ejecución %1</translation>
    </message>
</context>
</TS>
