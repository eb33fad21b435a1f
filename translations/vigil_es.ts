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
    <message>
        <source>Wait with the screenshot until a checkpoint with this id is pending, and review that one.</source>
        <translation>Espera con la captura hasta que esté pendiente un punto de control con este id, y revisa ese.</translation>
    </message>
    <message>
        <source>Once ready, wait N ms more before the screenshot (default 400).</source>
        <translation>Una vez listo, espera N ms más antes de la captura (400 por omisión).</translation>
    </message>
    <message>
        <source>--screenshot-settle-ms needs a number of milliseconds</source>
        <translation>--screenshot-settle-ms necesita un número de milisegundos</translation>
    </message>
    <message>
        <source>webhooks</source>
        <translation>webhooks</translation>
    </message>
</context>
<context>
    <name>vigil::AddSiteDialog</name>
    <message>
        <source>Add Site</source>
        <translation>Añadir sitio</translation>
    </message>
    <message>
        <source>SLURM cluster</source>
        <translation>Clúster SLURM</translation>
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
        <source>letters, digits, . _ -</source>
        <translation>letras, cifras, . _ -</translation>
    </message>
    <message>
        <source>a Host of ssh_config, or user@host:port</source>
        <translation>un Host de ssh_config, o usuario@máquina:puerto</translation>
    </message>
    <message>
        <source>Pick a Host alias of your ssh_config file, or type host, user@host, host:port or [IPv6 address]:port</source>
        <translation>Elija un alias Host de su archivo ssh_config, o escriba máquina, usuario@máquina, máquina:puerto o [dirección IPv6]:puerto</translation>
    </message>
    <message>
        <source>optional, e.g. ~/.ssh/id_ed25519</source>
        <translation>opcional, p. ej. ~/.ssh/id_ed25519</translation>
    </message>
    <message>
        <source>A private key file; its passphrase is asked for, never stored</source>
        <translation>Un archivo de clave privada; su frase de contraseña se pide, nunca se guarda</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Default (%1 s)</source>
        <translation>Por omisión (%1 s)</translation>
    </message>
    <message>
        <source>&amp;Add Site</source>
        <translation>&amp;Añadir sitio</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Tipo:</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Máquina:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nombre:</translation>
    </message>
    <message>
        <source>&amp;Identity file:</source>
        <translation>Archivo de &amp;identidad:</translation>
    </message>
    <message>
        <source>&amp;Poll every:</source>
        <translation>&amp;Consultar cada:</translation>
    </message>
    <message>
        <source>from %1</source>
        <translation>de %1</translation>
    </message>
    <message>
        <source>%1, from %2</source>
        <translation>%1, de %2</translation>
    </message>
    <message>
        <source>Host: %1</source>
        <translation>Máquina: %1</translation>
    </message>
    <message>
        <source>A site named &quot;%1&quot; already exists: choose another name.</source>
        <translation>Ya existe un sitio llamado «%1»: elija otro nombre.</translation>
    </message>
    <message>
        <source>The site registry %1 already has a site named &quot;%2&quot;: choose another name.</source>
        <translation>El registro de sitios %1 ya tiene un sitio llamado «%2»: elija otro nombre.</translation>
    </message>
    <message>
        <source>Could not save the site: %1</source>
        <translation>No se ha podido guardar el sitio: %1</translation>
    </message>
</context>
<context>
    <name>vigil::AttachmentsView</name>
    <message>
        <source>The job attached no files.</source>
        <translation>El trabajo no ha adjuntado ningún archivo.</translation>
    </message>
    <message>
        <source>View…</source>
        <translation>Ver…</translation>
    </message>
    <message>
        <source>Show the image at full size</source>
        <translation>Mostrar la imagen a tamaño completo</translation>
    </message>
    <message>
        <source>Save As…</source>
        <translation>Guardar como…</translation>
    </message>
    <message>
        <source>Not loaded</source>
        <translation>No cargado</translation>
    </message>
    <message>
        <source>files of the run cannot be read here</source>
        <translation>los archivos de la ejecución no se pueden leer aquí</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>unavailable</source>
        <translation>no disponible</translation>
    </message>
    <message>
        <source>Larger than %1: not fetched (%2)</source>
        <translation>Mayor de %1: no se ha descargado (%2)</translation>
    </message>
    <message>
        <source>Could not read it: %1</source>
        <translation>No se ha podido leer: %1</translation>
    </message>
    <message>
        <source>too large</source>
        <translation>demasiado grande</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n byte(s)), larger than %2: not shown</source>
        <translation>
            <numerusform>%1 (%n byte), mayor de %2: no se muestra</numerusform>
            <numerusform>%1 (%n bytes), mayor de %2: no se muestra</numerusform>
        </translation>
    </message>
    <message>
        <source>not an image</source>
        <translation>no es una imagen</translation>
    </message>
    <message>
        <source>%1: not an image it can show</source>
        <translation>%1: no es una imagen que se pueda mostrar</translation>
    </message>
    <message>
        <source>decoding…</source>
        <translation>descodificando…</translation>
    </message>
    <message>
        <source>Click to show it at full size</source>
        <translation>Haga clic para mostrarla a tamaño completo</translation>
    </message>
    <message>
        <source>%1 × %2 pixels, %3</source>
        <translation>%1 × %2 píxeles, %3</translation>
    </message>
    <message>
        <source> (shown at %1 × %2)</source>
        <translation> (mostrada a %1 × %2)</translation>
    </message>
    <message>
        <source>Save Attachment</source>
        <translation>Guardar el adjunto</translation>
    </message>
    <message>
        <source>Saving %1…</source>
        <translation>Guardando %1…</translation>
    </message>
    <message>
        <source>could not write it</source>
        <translation>no se ha podido escribir</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 guardado</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>No se ha podido guardar %1: %2</translation>
    </message>
</context>
<context>
    <name>vigil::AuthPrompter</name>
    <message>
        <source>Sign in to %1</source>
        <translation>Iniciar sesión en %1</translation>
    </message>
    <message>
        <source>The server of site %1 asks:</source>
        <translation>El servidor del sitio %1 pregunta:</translation>
    </message>
    <message>
        <source>&amp;Sign In</source>
        <translation>&amp;Iniciar sesión</translation>
    </message>
    <message>
        <source>Key passphrase for %1</source>
        <translation>Frase de contraseña de la clave %1</translation>
    </message>
    <message>
        <source>The key file %1 is protected by a passphrase. Enter it to sign in to site %2, or cancel to skip this key.</source>
        <translation>El archivo de clave %1 está protegido por una frase de contraseña. Escríbala para iniciar sesión en el sitio %2, o cancele para omitir esta clave.</translation>
    </message>
    <message>
        <source>&amp;Passphrase:</source>
        <translation>&amp;Frase de contraseña:</translation>
    </message>
</context>
<context>
    <name>vigil::BundleActions</name>
    <message>
        <source>Export Run %1</source>
        <translation>Exportar la ejecución %1</translation>
    </message>
    <message>
        <source>Review bundle (*.tar.zst);;Review bundle as zip (*.zip)</source>
        <translation>Paquete de revisión (*.tar.zst);;Paquete de revisión en zip (*.zip)</translation>
    </message>
    <message>
        <source>export of %1</source>
        <translation>exportación de %1</translation>
    </message>
    <message>
        <source>Open Review Bundle</source>
        <translation>Abrir un paquete de revisión</translation>
    </message>
    <message>
        <source>Review bundles (*.tar.zst *.tar.gz *.tgz *.tar *.zip);;All files (*)</source>
        <translation>Paquetes de revisión (*.tar.zst *.tar.gz *.tgz *.tar *.zip);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>Opening %1</source>
        <translation>Abriendo %1</translation>
    </message>
    <message>
        <source>review bundle</source>
        <translation>paquete de revisión</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelado</translation>
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
    <message>
        <source>not known yet</source>
        <translation>aún no se conoce</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Trabajo</translation>
    </message>
    <message>
        <source>The checkpoint names no task: no log.</source>
        <translation>El punto de control no nombra ninguna tarea: no hay registro.</translation>
    </message>
    <message>
        <source>Log not available</source>
        <translation>Registro no disponible</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Registro</translation>
    </message>
    <message>
        <source>The log of the job that asks, as it grows</source>
        <translation>El registro del trabajo que pregunta, a medida que crece</translation>
    </message>
    <message>
        <source>Attachments (%1)</source>
        <translation>Adjuntos (%1)</translation>
    </message>
    <message>
        <source>Job &amp;Log…</source>
        <translation>&amp;Registro del trabajo…</translation>
    </message>
    <message>
        <source>Follow the log of the job that asks, as it runs</source>
        <translation>Seguir el registro del trabajo que pregunta mientras se ejecuta</translation>
    </message>
    <message>
        <source>Not sent: %1</source>
        <translation>No enviado: %1</translation>
    </message>
    <message>
        <source>not listed by the scheduler</source>
        <translation>el planificador no lo lista</translation>
    </message>
    <message>
        <source>%1: not listed by the scheduler (ended, or not started by Vigil)</source>
        <translation>%1: el planificador no lo lista (ha terminado, o no lo inició Vigil)</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 elapsed</source>
        <translation>%1 transcurrido</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>quedan %1</translation>
    </message>
    <message>
        <source>exit code %1</source>
        <translation>código de salida %1</translation>
    </message>
    <message>
        <source>%1 is %2 bytes, more than the %3 bytes shown at most</source>
        <translation>%1 ocupa %2 bytes, más de los %3 bytes que se muestran como máximo</translation>
    </message>
</context>
<context>
    <name>vigil::CheckpointReview</name>
    <message>
        <source>Vigil is shutting down</source>
        <translation>Vigil se está cerrando</translation>
    </message>
    <message>
        <source>This checkpoint is in the review bundle %1: read-only, nothing can be decided here.</source>
        <translation>Este punto de control está en el paquete de revisión %1: solo lectura, aquí no se puede decidir nada.</translation>
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
    <name>vigil::EditorNodeItem</name>
    <message>
        <source>Human gate</source>
        <translation>Decisión humana</translation>
    </message>
    <message>
        <source>Container</source>
        <translation>Contenedor</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Trabajo</translation>
    </message>
    <message>
        <source>SLURM</source>
        <translation>SLURM</translation>
    </message>
    <message>
        <source>SSH</source>
        <translation>SSH</translation>
    </message>
    <message>
        <source>Local</source>
        <translation>Local</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Problem: %1</source>
        <translation>Problema: %1</translation>
    </message>
    <message>
        <source>Drag from the right-hand port to another task to run it after this one.</source>
        <translation>Arrastre desde el puerto de la derecha hasta otra tarea para ejecutarla después de esta.</translation>
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
    <name>vigil::ImageViewer</name>
    <message>
        <source>&amp;Fit</source>
        <translation>A&amp;justar</translation>
    </message>
    <message>
        <source>&amp;100%</source>
        <translation>&amp;100%</translation>
    </message>
    <message>
        <source>%1 (%2 × %3)</source>
        <translation>%1 (%2 × %3)</translation>
    </message>
    <message>
        <source>Scale the image to the window</source>
        <translation>Ajustar la imagen a la ventana</translation>
    </message>
    <message>
        <source>One image pixel per screen pixel; scroll to see the rest</source>
        <translation>Un píxel de la imagen por píxel de la pantalla; desplácese para ver el resto</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Cerrar</translation>
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
    <message>
        <source>&amp;Hold Job</source>
        <translation>&amp;Retener el trabajo</translation>
    </message>
    <message>
        <source>Re&amp;lease Job</source>
        <translation>&amp;Liberar el trabajo</translation>
    </message>
    <message>
        <source>Open &amp;Log Tail</source>
        <translation>Abrir el re&amp;gistro</translation>
    </message>
    <message>
        <source>&amp;Mute Notifications of This Run</source>
        <translation>&amp;Silenciar las notificaciones de esta ejecución</translation>
    </message>
    <message>
        <source>Keep this pending job from starting until it is released</source>
        <translation>Impedir que este trabajo pendiente empiece hasta que se libere</translation>
    </message>
    <message>
        <source>Let this held job start</source>
        <translation>Dejar que este trabajo retenido empiece</translation>
    </message>
    <message>
        <source>Follow the job&apos;s log as it grows</source>
        <translation>Seguir el registro del trabajo a medida que crece</translation>
    </message>
</context>
<context>
    <name>vigil::Language</name>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
    </message>
    <message>
        <source>System Default</source>
        <translation>Idioma del sistema</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>Vigil will use %1 when it is started again.</source>
        <translation>La próxima vez que se inicie, Vigil usará: %1.</translation>
    </message>
</context>
<context>
    <name>vigil::LogTailDialog</name>
    <message>
        <source>Log of %1 (job %2 on %3)</source>
        <translation>Registro de %1 (trabajo %2 en %3)</translation>
    </message>
</context>
<context>
    <name>vigil::LogTailView</name>
    <message>
        <source>Job %1 is not a task of a run: it has no log Vigil knows of.</source>
        <translation>El trabajo %1 no es una tarea de ninguna ejecución: no tiene ningún registro que Vigil conozca.</translation>
    </message>
    <message>
        <source>Vigil is shutting down</source>
        <translation>Vigil se está cerrando</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>Leyendo %1…</translation>
    </message>
    <message>
        <source>Waiting for %1 to be written…</source>
        <translation>Esperando a que se escriba %1…</translation>
    </message>
    <message>
        <source>%1: %2 bytes</source>
        <translation>%1: %2 bytes</translation>
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
    <message>
        <source>Runs</source>
        <translation>Ejecuciones</translation>
    </message>
    <message>
        <source>Following run %1: its engine runs in this window</source>
        <translation>Siguiendo la ejecución %1: su motor funciona en esta ventana</translation>
    </message>
    <message>
        <source>Run %1 is no longer followed here</source>
        <translation>La ejecución %1 ya no se sigue aquí</translation>
    </message>
    <message>
        <source>&amp;New Workflow…</source>
        <translation>&amp;Nuevo flujo de trabajo…</translation>
    </message>
    <message>
        <source>&amp;Edit Workflow…</source>
        <translation>&amp;Editar el flujo de trabajo…</translation>
    </message>
    <message>
        <source>Open the workflow shown in the editor (%1)</source>
        <translation>Abrir en el editor el flujo de trabajo que se muestra (%1)</translation>
    </message>
    <message>
        <source>&amp;Sites</source>
        <translation>&amp;Sitios</translation>
    </message>
    <message>
        <source>&amp;Add Site…</source>
        <translation>&amp;Añadir sitio…</translation>
    </message>
    <message>
        <source>Add a SLURM cluster, an SSH host or this computer (%1)</source>
        <translation>Añadir un clúster SLURM, una máquina SSH o este ordenador (%1)</translation>
    </message>
    <message>
        <source>Added site %1: connecting…</source>
        <translation>Sitio %1 añadido: conectando…</translation>
    </message>
    <message>
        <source>Runs (%1)</source>
        <translation>Ejecuciones (%1)</translation>
    </message>
    <message numerus="yes">
        <source>Stopping the engines of %n followed run(s)…</source>
        <translation>
            <numerusform>Deteniendo el motor de %n ejecución seguida…</numerusform>
            <numerusform>Deteniendo los motores de %n ejecuciones seguidas…</numerusform>
        </translation>
    </message>
    <message>
        <source>Held job %1 on %2</source>
        <translation>Trabajo %1 retenido en %2</translation>
    </message>
    <message>
        <source>Could not hold job %1: %2</source>
        <translation>No se pudo retener el trabajo %1: %2</translation>
    </message>
    <message>
        <source>Released job %1 on %2</source>
        <translation>Trabajo %1 liberado en %2</translation>
    </message>
    <message>
        <source>Could not release job %1: %2</source>
        <translation>No se pudo liberar el trabajo %1: %2</translation>
    </message>
    <message>
        <source>Checkpoint %1 no longer waits for a decision</source>
        <translation>El punto de control %1 ya no espera ninguna decisión</translation>
    </message>
    <message>
        <source>approved from a desktop notification</source>
        <translation>aprobado desde una notificación del escritorio</translation>
    </message>
    <message>
        <source>Could not decide %1: %2</source>
        <translation>No se pudo decidir %1: %2</translation>
    </message>
    <message>
        <source>%1 decided %2 first (option %3)</source>
        <translation>%1 decidió %2 antes (opción %3)</translation>
    </message>
    <message>
        <source>Decided %1 on %2</source>
        <translation>Decidido %1 en %2</translation>
    </message>
    <message>
        <source>Run %1 is in a review bundle, read-only: it cannot be followed</source>
        <translation>La ejecución %1 está en un paquete de revisión, de solo lectura: no se puede seguir</translation>
    </message>
    <message>
        <source>E&amp;xport Run…</source>
        <translation>E&amp;xportar ejecución…</translation>
    </message>
    <message>
        <source>Write the run selected in the Runs dock as a review bundle</source>
        <translation>Escribe la ejecución seleccionada en el panel Ejecuciones como paquete de revisión</translation>
    </message>
    <message>
        <source>&amp;Open Review Bundle…</source>
        <translation>A&amp;brir paquete de revisión…</translation>
    </message>
    <message>
        <source>bundle %1 (read-only) — Vigil</source>
        <translation>paquete %1 (solo lectura) — Vigil</translation>
    </message>
    <message>
        <source>&amp;Phone Notifications…</source>
        <translation>Notificaciones al &amp;teléfono…</translation>
    </message>
    <message>
        <source>Post checkpoints to ntfy, Slack or Mattermost when they arrive, near their deadline or are decided</source>
        <translation>Publica los puntos de control en ntfy, Slack o Mattermost cuando llegan, cuando se acerca su plazo o cuando se deciden</translation>
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
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>NaN/Inf</source>
        <translation>NaN/Inf</translation>
    </message>
    <message>
        <source>wall time (%1)</source>
        <translation>hora real (%1)</translation>
    </message>
    <message>
        <source>%1 is %2 at %3</source>
        <translation>%1 es %2 en %3</translation>
    </message>
    <message numerus="yes">
        <source>%n point(s) at or below 0 left out of the log scale</source>
        <translation>
            <numerusform>%n punto igual o inferior a 0 queda fuera de la escala logarítmica</numerusform>
            <numerusform>%n puntos iguales o inferiores a 0 quedan fuera de la escala logarítmica</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>vigil::MetricsCompare</name>
    <message>
        <source>Compare runs</source>
        <translation>Comparar ejecuciones</translation>
    </message>
    <message>
        <source>No other runs of this workflow are known</source>
        <translation>No se conocen otras ejecuciones de este flujo de trabajo</translation>
    </message>
    <message>
        <source>Draw %1 of run %2 over this one</source>
        <translation>Dibujar %1 de la ejecución %2 sobre esta</translation>
    </message>
    <message>
        <source>Draw the same file of other runs of this workflow</source>
        <translation>Dibujar el mismo archivo de otras ejecuciones de este flujo de trabajo</translation>
    </message>
    <message>
        <source>no %1</source>
        <translation>no hay %1</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>no se puede leer %1: %2</translation>
    </message>
</context>
<context>
    <name>vigil::MetricsFeed</name>
    <message>
        <source>Waiting for %1 to be written…</source>
        <translation>Esperando a que se escriba %1…</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>No se ha podido leer %1: %2</translation>
    </message>
    <message>
        <source>%1 grew past %2 bytes, the most shown: the chart stops here</source>
        <translation>%1 ha superado los %2 bytes, el máximo que se muestra: el gráfico se detiene aquí</translation>
    </message>
</context>
<context>
    <name>vigil::MetricsPanel</name>
    <message>
        <source>Exponential moving average, debiased at the start</source>
        <translation>Media móvil exponencial, con corrección del sesgo al principio</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>Escala logarítmica</translation>
    </message>
    <message>
        <source>By step</source>
        <translation>Por paso</translation>
    </message>
    <message>
        <source>By wall time</source>
        <translation>Por hora real</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Ajustar</translation>
    </message>
    <message>
        <source>Show every point (Home)</source>
        <translation>Mostrar todos los puntos (Inicio)</translation>
    </message>
    <message>
        <source>Smoothing</source>
        <translation>Suavizado</translation>
    </message>
</context>
<context>
    <name>vigil::Notifier</name>
    <message>
        <source>Checkpoints waiting: %1</source>
        <translation>Puntos de control pendientes: %1</translation>
    </message>
    <message>
        <source>Run %1, task %2 on %3 is waiting for a decision.</source>
        <translation>La ejecución %1, tarea %2 en %3, espera una decisión.</translation>
    </message>
    <message>
        <source>Approve: %1</source>
        <translation>Aprobar: %1</translation>
    </message>
    <message>
        <source>Checkpoint %1</source>
        <translation>Punto de control %1</translation>
    </message>
    <message>
        <source>Decision due in %1: %2</source>
        <translation>La decisión vence dentro de %1: %2</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <source>Open Inbox</source>
        <translation>Abrir la bandeja de entrada</translation>
    </message>
</context>
<context>
    <name>vigil::OperationsBar</name>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>%p %</source>
        <translation>%p %</translation>
    </message>
    <message>
        <source>Cancel this operation</source>
        <translation>Cancelar esta operación</translation>
    </message>
    <message>
        <source>Cancelling: %1</source>
        <translation>Cancelando: %1</translation>
    </message>
    <message numerus="yes">
        <source>%1 (and %n more)</source>
        <translation>
            <numerusform>%1 (y %n más)</numerusform>
            <numerusform>%1 (y %n más)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>vigil::OperationsModel</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1, run %2</source>
        <translation>%1, ejecución %2</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
</context>
<context>
    <name>vigil::ParamForm</name>
    <message>
        <source>Parameter %1 (%2)%3</source>
        <translation>Parámetro %1 (%2)%3</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>de %1 a %2</translation>
    </message>
    <message>
        <source>at least %1</source>
        <translation>como mínimo %1</translation>
    </message>
    <message>
        <source>at most %1</source>
        <translation>como máximo %1</translation>
    </message>
</context>
<context>
    <name>vigil::RevisionDialog</name>
    <message>
        <source>Revision %1 of run %2</source>
        <translation>Revisión %1 de la ejecución %2</translation>
    </message>
    <message>
        <source>Published, the engine following run %1 takes this change at its next cycle; the running jobs are not touched.</source>
        <translation>Una vez publicado, el motor que sigue la ejecución %1 aplica este cambio en su próximo ciclo; los trabajos en ejecución no se tocan.</translation>
    </message>
    <message>
        <source>This change cannot be made to run %1 now:</source>
        <translation>Este cambio no se puede hacer ahora en la ejecución %1:</translation>
    </message>
    <message>
        <source>Why (kept with the revision)</source>
        <translation>Por qué (se guarda con la revisión)</translation>
    </message>
    <message>
        <source>&amp;Comment:</source>
        <translation>&amp;Comentario:</translation>
    </message>
    <message>
        <source>&amp;Publish Revision %1</source>
        <translation>&amp;Publicar la revisión %1</translation>
    </message>
</context>
<context>
    <name>vigil::RunsModel</name>
    <message>
        <source>not followed</source>
        <translation>sin seguir</translation>
    </message>
    <message>
        <source>starting…</source>
        <translation>iniciando…</translation>
    </message>
    <message>
        <source>running here</source>
        <translation>en ejecución aquí</translation>
    </message>
    <message>
        <source>observing</source>
        <translation>observando</translation>
    </message>
    <message>
        <source>observing · %1 acts</source>
        <translation>observando · actúa %1</translation>
    </message>
    <message>
        <source>cannot follow · again %1</source>
        <translation>no se puede seguir · se reintenta %1</translation>
    </message>
    <message>
        <source>ended · %1</source>
        <translation>terminado · %1</translation>
    </message>
    <message>
        <source>stopping…</source>
        <translation>deteniendo…</translation>
    </message>
    <message>
        <source>This desktop does not run the engine of this run. Follow it to have gates, cross-site steps and run-time changes handled while the window is open.</source>
        <translation>Este escritorio no ejecuta el motor de esta ejecución. Sígala para que las decisiones humanas, los pasos entre sitios y los cambios durante la ejecución se atiendan mientras la ventana esté abierta.</translation>
    </message>
    <message>
        <source>Followed since %1.</source>
        <translation>Seguida desde %1.</translation>
    </message>
    <message>
        <source>Lease held by %1.</source>
        <translation>La concesión la tiene %1.</translation>
    </message>
    <message numerus="yes">
        <source>%n running</source>
        <translation>
            <numerusform>%n en ejecución</numerusform>
            <numerusform>%n en ejecución</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n done</source>
        <translation>
            <numerusform>%n terminada</numerusform>
            <numerusform>%n terminadas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n fallida</numerusform>
            <numerusform>%n fallidas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pending</source>
        <translation>
            <numerusform>%n pendiente</numerusform>
            <numerusform>%n pendientes</numerusform>
        </translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Ejecución</translation>
    </message>
    <message>
        <source>Workflow</source>
        <translation>Flujo de trabajo</translation>
    </message>
    <message>
        <source>Sites</source>
        <translation>Sitios</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Creada</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>Tareas</translation>
    </message>
    <message>
        <source>Checkpoints</source>
        <translation>Puntos de control</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>Motor</translation>
    </message>
    <message>
        <source>read-only</source>
        <translation>solo lectura</translation>
    </message>
    <message>
        <source>The run as the review bundle %1 holds it: it is read, never followed.</source>
        <translation>La ejecución tal como la guarda el paquete de revisión %1: se lee, nunca se sigue.</translation>
    </message>
    <message>
        <source>Run %1 of the review bundle %2 (read-only)</source>
        <translation>Ejecución %1 del paquete de revisión %2 (solo lectura)</translation>
    </message>
</context>
<context>
    <name>vigil::RunsPanel</name>
    <message>
        <source>&amp;Follow Run</source>
        <translation>&amp;Seguir la ejecución</translation>
    </message>
    <message>
        <source>&amp;Stop Following</source>
        <translation>&amp;Dejar de seguir</translation>
    </message>
    <message>
        <source>Show in &amp;Workflow</source>
        <translation>Mostrar en el &amp;flujo</translation>
    </message>
    <message>
        <source>&amp;Change Run…</source>
        <translation>&amp;Cambiar la ejecución…</translation>
    </message>
    <message>
        <source>&amp;Mute Notifications</source>
        <translation>Si&amp;lenciar las notificaciones</translation>
    </message>
    <message>
        <source>Run this run&apos;s engine in this window: gates, cross-site steps and run-time changes are handled while it is open, and again after a restart</source>
        <translation>Ejecutar en esta ventana el motor de esta ejecución: las decisiones humanas, los pasos entre sitios y los cambios durante la ejecución se atienden mientras esté abierta, y de nuevo tras reiniciar</translation>
    </message>
    <message>
        <source>No desktop notification or reminder for this run&apos;s checkpoints; they still arrive in the inbox</source>
        <translation>Ninguna notificación del escritorio ni recordatorio para los puntos de control de esta ejecución; siguen llegando a la bandeja de entrada</translation>
    </message>
    <message>
        <source>Edit the run&apos;s workflow while it runs: add a task, change one not started yet, skip one; published as the run&apos;s next revision</source>
        <translation>Editar el flujo de trabajo de la ejecución mientras se ejecuta: añadir una tarea, cambiar una que aún no ha empezado, omitir una; se publica como la siguiente revisión de la ejecución</translation>
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
    <message>
        <source>Gate %1</source>
        <translation>Decisión %1</translation>
    </message>
    <message>
        <source>Ran for %1</source>
        <translation>Se ejecutó durante %1</translation>
    </message>
    <message>
        <source>Time left: %1</source>
        <translation>Tiempo restante: %1</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>quedan %1</translation>
    </message>
</context>
<context>
    <name>vigil::TaskProperties</name>
    <message>
        <source>environment, line %1: expected NAME=VALUE</source>
        <translation>entorno, línea %1: se esperaba NOMBRE=VALOR</translation>
    </message>
    <message>
        <source>options, line %1: expected NAME: +enabled -skipped</source>
        <translation>opciones, línea %1: se esperaba NOMBRE: +activadas -omitidas</translation>
    </message>
    <message>
        <source>options, line %1: &quot;%2&quot;: write +TASK to enable a task, -TASK to skip one</source>
        <translation>opciones, línea %1: «%2»: escriba +TAREA para activar una tarea, -TAREA para omitirla</translation>
    </message>
    <message>
        <source>params, line %1: expected NAME TYPE DEFAULT</source>
        <translation>parámetros, línea %1: se esperaba NOMBRE TIPO PREDETERMINADO</translation>
    </message>
    <message>
        <source>params, line %1: type &quot;%2&quot;: number, integer, string, boolean or enum</source>
        <translation>parámetros, línea %1: tipo «%2»: number, integer, string, boolean o enum</translation>
    </message>
    <message>
        <source>params, line %1: an enum needs its choices: NAME enum DEFAULT a|b|c</source>
        <translation>parámetros, línea %1: un enum necesita sus valores: NOMBRE enum PREDETERMINADO a|b|c</translation>
    </message>
    <message>
        <source>params, line %1: expected NAME TYPE DEFAULT [MIN MAX]</source>
        <translation>parámetros, línea %1: se esperaba NOMBRE TIPO PREDETERMINADO [MÍN MÁX]</translation>
    </message>
    <message>
        <source>Job</source>
        <translation>Trabajo</translation>
    </message>
    <message>
        <source>Human gate</source>
        <translation>Decisión humana</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nombre:</translation>
    </message>
    <message>
        <source>&amp;Site:</source>
        <translation>&amp;Sitio:</translation>
    </message>
    <message>
        <source>&amp;Command:</source>
        <translation>&amp;Orden:</translation>
    </message>
    <message>
        <source>The program and its arguments, quoted as in a shell: python3 train.py --lr 0.1</source>
        <translation>El programa y sus argumentos, entrecomillados como en un shell: python3 train.py --lr 0.1</translation>
    </message>
    <message>
        <source>&amp;Working directory:</source>
        <translation>&amp;Directorio de trabajo:</translation>
    </message>
    <message>
        <source>Absolute, or relative to the run directory; empty: the run directory</source>
        <translation>Absoluto, o relativo al directorio de la ejecución; vacío: el directorio de la ejecución</translation>
    </message>
    <message>
        <source>Container &amp;image:</source>
        <translation>&amp;Imagen del contenedor:</translation>
    </message>
    <message>
        <source>Run in a container of this image; empty: no container</source>
        <translation>Ejecutar en un contenedor de esta imagen; vacío: sin contenedor</translation>
    </message>
    <message>
        <source>(the site&apos;s)</source>
        <translation>(el del sitio)</translation>
    </message>
    <message>
        <source>Container &amp;runtime:</source>
        <translation>Entorno de ejecución del &amp;contenedor:</translation>
    </message>
    <message>
        <source>&amp;Time limit:</source>
        <translation>&amp;Límite de tiempo:</translation>
    </message>
    <message>
        <source>SLURM&apos;s format: 01:00:00, 2-00:00:00</source>
        <translation>Formato de SLURM: 01:00:00, 2-00:00:00</translation>
    </message>
    <message>
        <source>default</source>
        <translation>por omisión</translation>
    </message>
    <message>
        <source>CP&amp;Us:</source>
        <translation>CP&amp;U:</translation>
    </message>
    <message>
        <source>&amp;GPUs:</source>
        <translation>&amp;GPU:</translation>
    </message>
    <message>
        <source>&amp;Memory:</source>
        <translation>&amp;Memoria:</translation>
    </message>
    <message>
        <source>4G, 500M</source>
        <translation>4G, 500M</translation>
    </message>
    <message>
        <source>N&amp;odes:</source>
        <translation>N&amp;odos:</translation>
    </message>
    <message>
        <source>&amp;Partition:</source>
        <translation>&amp;Partición:</translation>
    </message>
    <message>
        <source>&amp;Retries:</source>
        <translation>&amp;Reintentos:</translation>
    </message>
    <message>
        <source>&amp;Environment:</source>
        <translation>&amp;Entorno:</translation>
    </message>
    <message>
        <source>One NAME=VALUE a line</source>
        <translation>Un NOMBRE=VALOR por línea</translation>
    </message>
    <message>
        <source>Check&amp;points:</source>
        <translation>&amp;Puntos de control:</translation>
    </message>
    <message>
        <source>The checkpoints the job will post, one &quot;id: title&quot; a line</source>
        <translation>Los puntos de control que publicará el trabajo, uno «id: título» por línea</translation>
    </message>
    <message>
        <source>&amp;Question:</source>
        <translation>Pre&amp;gunta:</translation>
    </message>
    <message>
        <source>&amp;Body:</source>
        <translation>&amp;Cuerpo:</translation>
    </message>
    <message>
        <source>Markdown shown to the reviewer</source>
        <translation>Markdown que se muestra a quien revisa</translation>
    </message>
    <message>
        <source>&amp;Options:</source>
        <translation>&amp;Opciones:</translation>
    </message>
    <message>
        <source>One option a line: NAME: +TASK (enabled by it) -TASK (skipped by it)</source>
        <translation>Una opción por línea: NOMBRE: +TAREA (la activa) -TAREA (la omite)</translation>
    </message>
    <message>
        <source>P&amp;arams:</source>
        <translation>P&amp;arámetros:</translation>
    </message>
    <message>
        <source>One a line: NAME TYPE DEFAULT [MIN MAX], or NAME enum DEFAULT a|b|c</source>
        <translation>Uno por línea: NOMBRE TIPO PREDETERMINADO [MÍN MÁX], o NOMBRE enum PREDETERMINADO a|b|c</translation>
    </message>
    <message>
        <source>&amp;Approvers:</source>
        <translation>&amp;Aprobadores:</translation>
    </message>
    <message>
        <source>User names, separated by commas; empty: the workflow&apos;s</source>
        <translation>Nombres de usuario, separados por comas; vacío: los del flujo de trabajo</translation>
    </message>
    <message>
        <source>&amp;Deadline:</source>
        <translation>P&amp;lazo:</translation>
    </message>
    <message>
        <source>30m, 2h, 1d12h; empty: none</source>
        <translation>30m, 2h, 1d12h; vacío: sin plazo</translation>
    </message>
    <message>
        <source>De&amp;fault:</source>
        <translation>Por &amp;omisión:</translation>
    </message>
    <message>
        <source>No task selected</source>
        <translation>Ninguna tarea seleccionada</translation>
    </message>
    <message>
        <source>Gate %1</source>
        <translation>Decisión %1</translation>
    </message>
    <message>
        <source>Task %1</source>
        <translation>Tarea %1</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(ninguno)</translation>
    </message>
    <message>
        <source>(the first option)</source>
        <translation>(la primera opción)</translation>
    </message>
    <message>
        <source>Problems:</source>
        <translation>Problemas:</translation>
    </message>
    <message>
        <source>command: %1</source>
        <translation>orden: %1</translation>
    </message>
    <message>
        <source>deadline: %1</source>
        <translation>plazo: %1</translation>
    </message>
</context>
<context>
    <name>vigil::Webhook</name>
    <message>
        <source>Checkpoint waiting: %1</source>
        <translation>Punto de control en espera: %1</translation>
    </message>
    <message>
        <source>%1 left to decide: %2</source>
        <translation>Quedan %1 para decidir: %2</translation>
    </message>
    <message>
        <source>Decided: %1</source>
        <translation>Decidido: %1</translation>
    </message>
    <message>
        <source>Vigil test message</source>
        <translation>Mensaje de prueba de Vigil</translation>
    </message>
    <message>
        <source>Phone notifications from Vigil reach this place.</source>
        <translation>Las notificaciones de Vigil al teléfono llegan aquí.</translation>
    </message>
    <message>
        <source>Site %1, run %2, checkpoint %3</source>
        <translation>Sitio %1, ejecución %2, punto de control %3</translation>
    </message>
    <message>
        <source>Default &quot;%1&quot; taken at the deadline</source>
        <translation>Opción por defecto «%1» aplicada al vencer el plazo</translation>
    </message>
    <message>
        <source>Decided by %1: %2</source>
        <translation>Decidido por %1: %2</translation>
    </message>
    <message>
        <source>%1 (default)</source>
        <translation>%1 (por defecto)</translation>
    </message>
    <message>
        <source>Options: %1</source>
        <translation>Opciones: %1</translation>
    </message>
    <message>
        <source>Deadline: %1 (%2)</source>
        <translation>Plazo: %1 (%2)</translation>
    </message>
</context>
<context>
    <name>vigil::WebhooksDialog</name>
    <message>
        <source>A checkpoint arrives</source>
        <translation>Llega un punto de control</translation>
    </message>
    <message>
        <source>Its deadline nears</source>
        <translation>Se acerca su plazo</translation>
    </message>
    <message>
        <source>It is decided</source>
        <translation>Se decide</translation>
    </message>
    <message>
        <source>Send Test</source>
        <translation>Enviar prueba</translation>
    </message>
    <message>
        <source>Phone Notifications</source>
        <translation>Notificaciones al teléfono</translation>
    </message>
    <message>
        <source>ntfy</source>
        <translation>ntfy</translation>
    </message>
    <message>
        <source>Slack / Mattermost</source>
        <translation>Slack / Mattermost</translation>
    </message>
    <message>
        <source>1 (min)</source>
        <translation>1 (mínima)</translation>
    </message>
    <message>
        <source>2 (low)</source>
        <translation>2 (baja)</translation>
    </message>
    <message>
        <source>3 (default)</source>
        <translation>3 (por defecto)</translation>
    </message>
    <message>
        <source>4 (high)</source>
        <translation>4 (alta)</translation>
    </message>
    <message>
        <source>5 (max)</source>
        <translation>5 (máxima)</translation>
    </message>
    <message>
        <source>optional: https://…/{site}/{run}/{checkpoint}</source>
        <translation>opcional: https://…/{site}/{run}/{checkpoint}</translation>
    </message>
    <message>
        <source>every site (or: mn5, edge)</source>
        <translation>todos los sitios (o: mn5, edge)</translation>
    </message>
    <message>
        <source>every run</source>
        <translation>todas las ejecuciones</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Añadir</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Quitar</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nombre:</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>Tipo:</translation>
    </message>
    <message>
        <source>Webhook URL:</source>
        <translation>URL del webhook:</translation>
    </message>
    <message>
        <source>Access token:</source>
        <translation>Token de acceso:</translation>
    </message>
    <message>
        <source>Priority:</source>
        <translation>Prioridad:</translation>
    </message>
    <message>
        <source>Open on tap:</source>
        <translation>Abrir al tocar:</translation>
    </message>
    <message>
        <source>Notify when:</source>
        <translation>Avisar cuando:</translation>
    </message>
    <message>
        <source>Sites:</source>
        <translation>Sitios:</translation>
    </message>
    <message>
        <source>Runs:</source>
        <translation>Ejecuciones:</translation>
    </message>
    <message>
        <source>paste the ntfy topic URL, e.g. https://ntfy.sh/your-topic</source>
        <translation>pegue la URL del tema de ntfy, p. ej. https://ntfy.sh/su-tema</translation>
    </message>
    <message>
        <source>paste the incoming-webhook URL (kept in the system keyring)</source>
        <translation>pegue la URL del webhook entrante (se guarda en el llavero del sistema)</translation>
    </message>
    <message>
        <source>optional; a stored token is kept unless you type a new one</source>
        <translation>opcional; el token guardado se conserva salvo que escriba uno nuevo</translation>
    </message>
    <message>
        <source>phone%1</source>
        <translation>telefono%1</translation>
    </message>
    <message>
        <source>Webhook &quot;%1&quot;: %2</source>
        <translation>Webhook «%1»: %2</translation>
    </message>
    <message>
        <source>Two webhooks are named &quot;%1&quot;.</source>
        <translation>Hay dos webhooks llamados «%1».</translation>
    </message>
    <message>
        <source>Reading the stored secret…</source>
        <translation>Leyendo el secreto guardado…</translation>
    </message>
    <message>
        <source>paste the webhook URL first</source>
        <translation>primero pegue la URL del webhook</translation>
    </message>
    <message>
        <source>Test not sent: %1</source>
        <translation>Prueba no enviada: %1</translation>
    </message>
    <message>
        <source>Sending a test message to %1…</source>
        <translation>Enviando un mensaje de prueba a %1…</translation>
    </message>
    <message>
        <source>Test message sent to %1 (HTTP %2).</source>
        <translation>Mensaje de prueba enviado a %1 (HTTP %2).</translation>
    </message>
    <message>
        <source>Test message to %1 failed: %2</source>
        <translation>El mensaje de prueba a %1 ha fallado: %2</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Guardando…</translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>No guardado: %1</translation>
    </message>
    <message>
        <source>no secret store</source>
        <translation>no hay almacén de secretos</translation>
    </message>
    <message numerus="yes">
        <source>Saved %n webhook(s); secrets are in the system keyring.</source>
        <translation>
            <numerusform>Guardado %n webhook; los secretos están en el llavero del sistema.</numerusform>
            <numerusform>Guardados %n webhooks; los secretos están en el llavero del sistema.</numerusform>
        </translation>
    </message>
    <message>
        <source>Clear Token</source>
        <translation>Borrar token</translation>
    </message>
    <message>
        <source>Remove the stored access token from the system keyring on Save</source>
        <translation>Quitar el token de acceso guardado del llavero del sistema al guardar</translation>
    </message>
    <message>
        <source>the stored token is removed when you save</source>
        <translation>el token guardado se quita al guardar</translation>
    </message>
    <message>
        <source>The access token of &quot;%1&quot; is removed from the system keyring when you save.</source>
        <translation>El token de acceso de «%1» se quita del llavero del sistema al guardar.</translation>
    </message>
</context>
<context>
    <name>vigil::WorkflowDocument</name>
    <message>
        <source>Go on?</source>
        <translation>¿Continuar?</translation>
    </message>
    <message>
        <source>Add %1</source>
        <translation>Añadir %1</translation>
    </message>
    <message>
        <source>Delete %1</source>
        <translation>Eliminar %1</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n task(s)</source>
        <translation>
            <numerusform>Eliminar %n tarea</numerusform>
            <numerusform>Eliminar %n tareas</numerusform>
        </translation>
    </message>
    <message>
        <source>there is no task %1</source>
        <translation>no hay ninguna tarea %1</translation>
    </message>
    <message>
        <source>a task is renamed with renameTask</source>
        <translation>una tarea se renombra con renameTask</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>Editar %1</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a task name: use letters, digits, &apos;_&apos;, &apos;-&apos; and &apos;.&apos; (64 at most), not starting with &apos;-&apos; or &apos;.&apos;</source>
        <translation>«%1» no es un nombre de tarea: use letras, cifras, &apos;_&apos;, &apos;-&apos; y &apos;.&apos; (64 como máximo), sin empezar por &apos;-&apos; ni &apos;.&apos;</translation>
    </message>
    <message>
        <source>a task named %1 exists already</source>
        <translation>ya existe una tarea llamada %1</translation>
    </message>
    <message>
        <source>Rename %1 to %2</source>
        <translation>Renombrar %1 como %2</translation>
    </message>
    <message>
        <source>Move %1</source>
        <translation>Mover %1</translation>
    </message>
    <message numerus="yes">
        <source>Move %n task(s)</source>
        <translation>
            <numerusform>Mover %n tarea</numerusform>
            <numerusform>Mover %n tareas</numerusform>
        </translation>
    </message>
    <message>
        <source>both ends must be tasks</source>
        <translation>los dos extremos deben ser tareas</translation>
    </message>
    <message>
        <source>a task cannot run after itself</source>
        <translation>una tarea no puede ejecutarse después de sí misma</translation>
    </message>
    <message>
        <source>%1 already runs before %2: this would make a cycle</source>
        <translation>%1 ya se ejecuta antes que %2: esto crearía un ciclo</translation>
    </message>
    <message>
        <source>Connect %1 → %2</source>
        <translation>Conectar %1 → %2</translation>
    </message>
    <message>
        <source>Disconnect %1 → %2</source>
        <translation>Desconectar %1 → %2</translation>
    </message>
    <message>
        <source>the clipboard holds no task</source>
        <translation>el portapapeles no contiene ninguna tarea</translation>
    </message>
    <message numerus="yes">
        <source>Paste %n task(s)</source>
        <translation>
            <numerusform>Pegar %n tarea</numerusform>
            <numerusform>Pegar %n tareas</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>vigil::WorkflowEditor</name>
    <message>
        <source>SLURM job</source>
        <translation>Trabajo SLURM</translation>
    </message>
    <message>
        <source>A batch job on a SLURM site</source>
        <translation>Un trabajo por lotes en un sitio SLURM</translation>
    </message>
    <message>
        <source>SSH job</source>
        <translation>Trabajo SSH</translation>
    </message>
    <message>
        <source>A process on an SSH host</source>
        <translation>Un proceso en una máquina SSH</translation>
    </message>
    <message>
        <source>Local job</source>
        <translation>Trabajo local</translation>
    </message>
    <message>
        <source>A process on this computer</source>
        <translation>Un proceso en este ordenador</translation>
    </message>
    <message>
        <source>Container job</source>
        <translation>Trabajo en contenedor</translation>
    </message>
    <message>
        <source>A job that runs in a container image</source>
        <translation>Un trabajo que se ejecuta en una imagen de contenedor</translation>
    </message>
    <message>
        <source>Human gate</source>
        <translation>Decisión humana</translation>
    </message>
    <message>
        <source>A question for a person; its options choose the branches</source>
        <translation>Una pregunta para una persona; sus opciones eligen las ramas</translation>
    </message>
    <message>
        <source>Drag it onto the canvas, or double-click to add it</source>
        <translation>Arrástrelo al lienzo, o haga doble clic para añadirlo</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>Nodos</translation>
    </message>
    <message>
        <source>Properties</source>
        <translation>Propiedades</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Problemas</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Abrir…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>Guardar c&amp;omo…</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Cerrar</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Editar</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Deshacer</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Rehacer</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>Cor&amp;tar</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copiar</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>&amp;Pegar</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Eliminar</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>&amp;Seleccionar todo</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>&amp;Ampliar</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>&amp;Reducir</translation>
    </message>
    <message>
        <source>&amp;Fit</source>
        <translation>A&amp;justar</translation>
    </message>
    <message>
        <source>Auto &amp;Layout</source>
        <translation>&amp;Disposición automática</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>E&amp;jecución</translation>
    </message>
    <message>
        <source>&amp;Publish Revision…</source>
        <translation>&amp;Publicar la revisión…</translation>
    </message>
    <message>
        <source>Show the change against the run&apos;s revision in effect, then publish it as the run&apos;s next revision</source>
        <translation>Mostrar el cambio respecto a la revisión vigente de la ejecución y publicarlo como su siguiente revisión</translation>
    </message>
    <message>
        <source>Editor</source>
        <translation>Editor</translation>
    </message>
    <message>
        <source>Untitled workflow</source>
        <translation>Flujo de trabajo sin título</translation>
    </message>
    <message>
        <source>Run %1, revision %2[*] — Vigil Workflow Editor</source>
        <translation>Ejecución %1, revisión %2[*] — Editor de flujos de trabajo de Vigil</translation>
    </message>
    <message>
        <source>%1[*] — Vigil Workflow Editor</source>
        <translation>%1[*] — Editor de flujos de trabajo de Vigil</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Problems (%1)</source>
        <translation>Problemas (%1)</translation>
    </message>
    <message>
        <source>Tasks without a position were laid out; saving keeps the positions</source>
        <translation>Se han colocado las tareas que no tenían posición; al guardar se conservan las posiciones</translation>
    </message>
    <message>
        <source>Nothing to paste: %1</source>
        <translation>Nada que pegar: %1</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n connection(s)</source>
        <translation>
            <numerusform>Eliminar %n conexión</numerusform>
            <numerusform>Eliminar %n conexiones</numerusform>
        </translation>
    </message>
    <message>
        <source>Open Workflow</source>
        <translation>Abrir un flujo de trabajo</translation>
    </message>
    <message>
        <source>Workflow files (*.toml);;All files (*)</source>
        <translation>Archivos de flujo de trabajo (*.toml);;Todos los archivos (*)</translation>
    </message>
    <message>
        <source>cannot open %1: %2</source>
        <translation>no se puede abrir %1: %2</translation>
    </message>
    <message>
        <source>%1 is larger than %2 bytes</source>
        <translation>%1 ocupa más de %2 bytes</translation>
    </message>
    <message>
        <source>Save Workflow</source>
        <translation>Guardar el flujo de trabajo</translation>
    </message>
    <message>
        <source>Workflow files (*.toml)</source>
        <translation>Archivos de flujo de trabajo (*.toml)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 guardado</translation>
    </message>
    <message>
        <source>Reading the revision in effect of run %1…</source>
        <translation>Leyendo la revisión vigente de la ejecución %1…</translation>
    </message>
    <message>
        <source>Editing run %1 from its revision %2: Run &gt; Publish Revision shows the change</source>
        <translation>Editando la ejecución %1 a partir de su revisión %2: Ejecución &gt; Publicar la revisión muestra el cambio</translation>
    </message>
    <message>
        <source>%1 (open the run again to edit its latest revision)</source>
        <translation>%1 (vuelva a abrir la ejecución para editar su última revisión)</translation>
    </message>
    <message>
        <source>Revision %1 of run %2 published</source>
        <translation>Revisión %1 de la ejecución %2 publicada</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Cambios sin guardar</translation>
    </message>
    <message>
        <source>Save the changes to %1?</source>
        <translation>¿Guardar los cambios de %1?</translation>
    </message>
    <message>
        <source>this workflow</source>
        <translation>este flujo de trabajo</translation>
    </message>
</context>
<context>
    <name>vigil::WorkflowStatus</name>
    <message>
        <source>exit %1</source>
        <translation>salida %1</translation>
    </message>
    <message>
        <source>waiting for a decision</source>
        <translation>esperando una decisión</translation>
    </message>
    <message>
        <source>%1 (default at the deadline)</source>
        <translation>%1 (por omisión, al vencer el plazo)</translation>
    </message>
    <message>
        <source>%1 by %2</source>
        <translation>%1, por %2</translation>
    </message>
    <message>
        <source>closed without a decision</source>
        <translation>cerrado sin decisión</translation>
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
