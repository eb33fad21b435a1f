<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ca">
<context>
    <name>main</name>
    <message>
        <source>Supervise AI workflows on HPC clusters, SSH hosts and this computer.</source>
        <translation>Supervisa fluxos de treball d&apos;IA en clústers HPC, màquines SSH i aquest ordinador.</translation>
    </message>
    <message>
        <source>The workflow file (TOML).</source>
        <translation>El fitxer del flux de treball (TOML).</translation>
    </message>
    <message>
        <source>Use this ssh_config file instead of ~/.ssh/config.</source>
        <translation>Fes servir aquest fitxer ssh_config en lloc de ~/.ssh/config.</translation>
    </message>
    <message>
        <source>Trust and remember host keys seen for the first time (like OpenSSH&apos;s accept-new); changed keys are still refused.</source>
        <translation>Confia en les claus d&apos;amfitrió vistes per primer cop i recorda-les (com accept-new d&apos;OpenSSH); les claus que canvien se segueixen rebutjant.</translation>
    </message>
    <message>
        <source>Refresh every site every SECONDS (default 20).</source>
        <translation>Actualitza cada lloc cada SECONDS segons (20 per defecte).</translation>
    </message>
    <message>
        <source>Save a picture of the window to PATH once every site has been refreshed, then quit.</source>
        <translation>Desa una imatge de la finestra a PATH quan tots els llocs s&apos;hagin actualitzat i surt.</translation>
    </message>
    <message>
        <source>Take the screenshot after N ms at the latest (default 15000).</source>
        <translation>Fes la captura com a molt tard al cap de N ms (15000 per defecte).</translation>
    </message>
    <message>
        <source>give at most one workflow file</source>
        <translation>indica com a molt un fitxer de flux de treball</translation>
    </message>
    <message>
        <source>--poll needs a number of seconds between 1 and 86400</source>
        <translation>--poll necessita un nombre de segons entre 1 i 86400</translation>
    </message>
    <message>
        <source>--screenshot-delay-ms needs a number of milliseconds</source>
        <translation>--screenshot-delay-ms necessita un nombre de mil·lisegons</translation>
    </message>
    <message>
        <source>workflow</source>
        <translation>flux de treball</translation>
    </message>
    <message>
        <source>sites</source>
        <translation>llocs</translation>
    </message>
</context>
<context>
    <name>vigil::CheckpointDialog</name>
    <message>
        <source>Checkpoint: %1</source>
        <translation>Punt de control: %1</translation>
    </message>
    <message>
        <source>run %1</source>
        <translation>execució %1</translation>
    </message>
    <message>
        <source>task %1</source>
        <translation>tasca %1</translation>
    </message>
    <message>
        <source>job %1</source>
        <translation>treball %1</translation>
    </message>
    <message>
        <source>site %1</source>
        <translation>lloc %1</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>On</translation>
    </message>
    <message>
        <source>Posted</source>
        <translation>Publicat</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Termini</translation>
    </message>
    <message>
        <source>*The job gave no details.*</source>
        <translation>*El treball no ha donat detalls.*</translation>
    </message>
    <message>
        <source>Metrics not loaded</source>
        <translation>Mètriques no carregades</translation>
    </message>
    <message>
        <source>Comment (optional): recorded with the decision</source>
        <translation>Comentari (opcional): es registra amb la decisió</translation>
    </message>
    <message>
        <source>%1 (default)</source>
        <translation>%1 (per defecte)</translation>
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
        <translation>Tanca</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>cap</translation>
    </message>
    <message>
        <source>%1, then &quot;%2&quot;</source>
        <translation>%1; després, «%2»</translation>
    </message>
    <message>
        <source>The job offers no options to choose from.</source>
        <translation>El treball no ofereix opcions per triar.</translation>
    </message>
    <message>
        <source>Decision sent.</source>
        <translation>Decisió enviada.</translation>
    </message>
    <message>
        <source>The deadline passed; the job took the default: %1.</source>
        <translation>El termini ha vençut; el treball ha pres l&apos;opció per defecte: %1.</translation>
    </message>
    <message>
        <source>Decided by %1 at %2: %3.</source>
        <translation>Decidit per %1 el %2: %3.</translation>
    </message>
    <message>
        <source>The job applied it.</source>
        <translation>El treball l&apos;ha aplicada.</translation>
    </message>
    <message>
        <source>The job applied it: %1</source>
        <translation>El treball l&apos;ha aplicada: %1</translation>
    </message>
    <message>
        <source>The job has not read it yet.</source>
        <translation>El treball encara no l&apos;ha llegida.</translation>
    </message>
    <message>
        <source>The job refused the decision: %1</source>
        <translation>El treball ha rebutjat la decisió: %1</translation>
    </message>
    <message>
        <source>This checkpoint cannot be decided: %1</source>
        <translation>Aquest punt de control no es pot decidir: %1</translation>
    </message>
    <message>
        <source>Sending the decision &quot;%1&quot;…</source>
        <translation>Enviant la decisió «%1»…</translation>
    </message>
    <message>
        <source>Could not send the decision: %1</source>
        <translation>No s&apos;ha pogut enviar la decisió: %1</translation>
    </message>
    <message>
        <source>Decision sent: %1</source>
        <translation>Decisió enviada: %1</translation>
    </message>
    <message>
        <source>Already decided by %1 at %2: option %3</source>
        <translation>Ja ho va decidir %1 el %2: opció %3</translation>
    </message>
    <message>
        <source>Metrics not available</source>
        <translation>Mètriques no disponibles</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Carregant %1…</translation>
    </message>
    <message>
        <source>Could not read %1: %2</source>
        <translation>No s&apos;ha pogut llegir %1: %2</translation>
    </message>
    <message>
        <source>No decision is needed any more: the %1</source>
        <translation>Ja no cal cap decisió: la %1</translation>
    </message>
</context>
<context>
    <name>vigil::CheckpointReview</name>
    <message>
        <source>Vigil is shutting down</source>
        <translation>Vigil s&apos;està tancant</translation>
    </message>
</context>
<context>
    <name>vigil::CheckpointsModel</name>
    <message>
        <source>Pending</source>
        <translation>Pendent</translation>
    </message>
    <message>
        <source>Decided</source>
        <translation>Decidit</translation>
    </message>
    <message>
        <source>Applied</source>
        <translation>Aplicat</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Rebutjat</translation>
    </message>
    <message>
        <source>Broken</source>
        <translation>Malmès</translation>
    </message>
    <message>
        <source>%1: %2 (default after deadline)</source>
        <translation>%1: %2 (per defecte, després del termini)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Checkpoint %1 of run %2 on %3</source>
        <translation>Punt de control %1 de l&apos;execució %2 a %3</translation>
    </message>
    <message>
        <source>Decided by %1 at %2: %3</source>
        <translation>Decidit per %1 el %2: %3</translation>
    </message>
    <message>
        <source>No deadline</source>
        <translation>Sense termini</translation>
    </message>
    <message>
        <source>%1; then the job takes &quot;%2&quot;</source>
        <translation>%1; després el treball pren «%2»</translation>
    </message>
    <message>
        <source>the default</source>
        <translation>l&apos;opció per defecte</translation>
    </message>
    <message>
        <source>Checkpoint</source>
        <translation>Punt de control</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estat</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Execució</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Tasca</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Lloc</translation>
    </message>
    <message>
        <source>Posted</source>
        <translation>Publicat</translation>
    </message>
    <message>
        <source>Deadline</source>
        <translation>Termini</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Tancat</translation>
    </message>
</context>
<context>
    <name>vigil::Format</name>
    <message>
        <source>Unknown</source>
        <translation>Desconegut</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Sense començar</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>En cua</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>En execució</translation>
    </message>
    <message>
        <source>Suspended</source>
        <translation>Suspès</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>Correcte</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fallit</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancel·lat</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Acabat</translation>
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
        <translation>ara</translation>
    </message>
    <message>
        <source>in %1</source>
        <translation>d&apos;aquí a %1</translation>
    </message>
    <message>
        <source>%1 ago</source>
        <translation>fa %1</translation>
    </message>
</context>
<context>
    <name>vigil::HostKeyPrompt</name>
    <message>
        <source>Unknown host key</source>
        <translation>Clau d&apos;amfitrió desconeguda</translation>
    </message>
    <message>
        <source>The host key of %1 (site %2) is not known yet.</source>
        <translation>La clau d&apos;amfitrió de %1 (lloc %2) encara no és coneguda.</translation>
    </message>
    <message>
        <source>Its fingerprint is:

%1

Trust it only if it matches the fingerprint published by the administrators of %2. Vigil will remember it in known_hosts.</source>
        <translation>La seva empremta és:

%1

Confieu-hi només si coincideix amb l&apos;empremta que publiquen els administradors de %2. Vigil la recordarà a known_hosts.</translation>
    </message>
    <message>
        <source>&amp;Trust and Connect</source>
        <translation>&amp;Confia-hi i connecta</translation>
    </message>
</context>
<context>
    <name>vigil::InboxDelegate</name>
    <message>
        <source>due %1</source>
        <translation>venç %1</translation>
    </message>
    <message>
        <source>task %1</source>
        <translation>tasca %1</translation>
    </message>
</context>
<context>
    <name>vigil::InboxPanel</name>
    <message>
        <source>Show &amp;decided</source>
        <translation>Mostra els &amp;decidits</translation>
    </message>
    <message>
        <source>Double-click or press Enter to review a checkpoint</source>
        <translation>Feu doble clic o premeu Retorn per revisar un punt de control</translation>
    </message>
    <message>
        <source>No checkpoint is waiting for you.</source>
        <translation>Cap punt de control no us espera.</translation>
    </message>
    <message>
        <source>No checkpoints.</source>
        <translation>No hi ha punts de control.</translation>
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
        <translation>Lloc</translation>
    </message>
    <message>
        <source>Subject</source>
        <translation>Assumpte</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Missatge</translation>
    </message>
</context>
<context>
    <name>vigil::IssuesPanel</name>
    <message>
        <source>C&amp;lear</source>
        <translation>&amp;Buida</translation>
    </message>
    <message>
        <source>Remove every issue from the list</source>
        <translation>Treu tots els problemes de la llista</translation>
    </message>
</context>
<context>
    <name>vigil::JobsModel</name>
    <message>
        <source>%1 (exit %2)</source>
        <translation>%1 (sortida %2)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 (partition %2)</source>
        <translation>%1 (partició %2)</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Lloc</translation>
    </message>
    <message>
        <source>Job ID</source>
        <translation>ID del treball</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Execució</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Tasca</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estat</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motiu</translation>
    </message>
    <message>
        <source>Elapsed</source>
        <translation>Transcorregut</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Temps restant</translation>
    </message>
</context>
<context>
    <name>vigil::JobsPanel</name>
    <message>
        <source>&amp;Cancel Job</source>
        <translation>&amp;Cancel·la el treball</translation>
    </message>
    <message>
        <source>Copy Job &amp;ID</source>
        <translation>Copia l&apos;&amp;ID del treball</translation>
    </message>
    <message>
        <source>Show &amp;Run in Workflow</source>
        <translation>Mostra l&apos;&amp;execució al flux</translation>
    </message>
    <message>
        <source>All jobs</source>
        <translation>Tots els treballs</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Actius</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Acabats</translation>
    </message>
    <message>
        <source>Show jobs by state</source>
        <translation>Mostra els treballs segons el seu estat</translation>
    </message>
    <message>
        <source>Show the jobs of one site</source>
        <translation>Mostra els treballs d&apos;un lloc</translation>
    </message>
    <message>
        <source>Show the jobs of one run</source>
        <translation>Mostra els treballs d&apos;una execució</translation>
    </message>
    <message>
        <source>Filter…</source>
        <translation>Filtra…</translation>
    </message>
    <message>
        <source>All sites</source>
        <translation>Tots els llocs</translation>
    </message>
    <message>
        <source>All runs</source>
        <translation>Totes les execucions</translation>
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
        <translation>Llocs</translation>
    </message>
    <message>
        <source>Inbox</source>
        <translation>Safata d&apos;entrada</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Treballs</translation>
    </message>
    <message>
        <source>Issues</source>
        <translation>Problemes</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fitxer</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Surt</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Visualitza</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Actualitza</translation>
    </message>
    <message>
        <source>Ask every site for fresh data now (%1)</source>
        <translation>Demana ara dades noves a tots els llocs (%1)</translation>
    </message>
    <message>
        <source>&amp;Review Next Checkpoint</source>
        <translation>&amp;Revisa el punt de control següent</translation>
    </message>
    <message>
        <source>Review the selected or newest pending checkpoint (%1)</source>
        <translation>Revisa el punt de control pendent seleccionat o el més recent (%1)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>A&amp;juda</translation>
    </message>
    <message>
        <source>&amp;About Vigil</source>
        <translation>&amp;Quant a Vigil</translation>
    </message>
    <message>
        <source>About Vigil</source>
        <translation>Quant a Vigil</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Vigil %1&lt;/h3&gt;&lt;p&gt;Supervise AI workflows on HPC clusters, SSH hosts and this computer: follow jobs, and answer the questions they ask.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Vigil %1&lt;/h3&gt;&lt;p&gt;Superviseu fluxos de treball d&apos;IA en clústers HPC, màquines SSH i aquest ordinador: seguiu els treballs i responeu les preguntes que fan.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Quant a &amp;Qt</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Principal</translation>
    </message>
    <message>
        <source>Run:</source>
        <translation>Execució:</translation>
    </message>
    <message>
        <source>The run the workflow view shows</source>
        <translation>L&apos;execució que mostra la vista del flux</translation>
    </message>
    <message>
        <source>%1 — Vigil</source>
        <translation>%1 — Vigil</translation>
    </message>
    <message>
        <source>No checkpoint is waiting.</source>
        <translation>No hi ha cap punt de control pendent.</translation>
    </message>
    <message>
        <source>Checkpoint %1</source>
        <translation>Punt de control %1</translation>
    </message>
    <message>
        <source>Run %1, task %2 on %3 is waiting for a decision.</source>
        <translation>L&apos;execució %1, tasca %2 a %3, espera una decisió.</translation>
    </message>
    <message>
        <source>Inbox (%1)</source>
        <translation>Safata d&apos;entrada (%1)</translation>
    </message>
    <message>
        <source>Issues (%1)</source>
        <translation>Problemes (%1)</translation>
    </message>
    <message>
        <source>Jobs (%1)</source>
        <translation>Treballs (%1)</translation>
    </message>
    <message>
        <source>Checkpoints waiting: %1</source>
        <translation>Punts de control pendents: %1</translation>
    </message>
    <message>
        <source>No checkpoint waiting</source>
        <translation>Cap punt de control pendent</translation>
    </message>
    <message>
        <source>Vigil: %1</source>
        <translation>Vigil: %1</translation>
    </message>
    <message>
        <source>(no run)</source>
        <translation>(cap execució)</translation>
    </message>
    <message>
        <source>Newest (%1)</source>
        <translation>La més recent (%1)</translation>
    </message>
    <message>
        <source>Cancel job</source>
        <translation>Cancel·la el treball</translation>
    </message>
    <message>
        <source>Cancel job %1 on %2? Its work since the last checkpoint is lost.</source>
        <translation>Voleu cancel·lar el treball %1 a %2? Es perd el que ha calculat des de l’últim punt de control.</translation>
    </message>
    <message>
        <source>Cancelled job %1 on %2</source>
        <translation>S’ha cancel·lat el treball %1 a %2</translation>
    </message>
    <message>
        <source>Could not cancel job %1: %2</source>
        <translation>No s’ha pogut cancel·lar el treball %1: %2</translation>
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
        <translation>%1: cap columna numèrica</translation>
    </message>
</context>
<context>
    <name>vigil::Notifier</name>
    <message>
        <source>Checkpoints waiting: %1</source>
        <translation>Punts de control pendents: %1</translation>
    </message>
</context>
<context>
    <name>vigil::SitesModel</name>
    <message>
        <source>Disconnected</source>
        <translation>Desconnectat</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connectant…</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Connectat</translation>
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
        <translation>Màquina SSH</translation>
    </message>
    <message>
        <source>This computer</source>
        <translation>Aquest ordinador</translation>
    </message>
    <message>
        <source>never</source>
        <translation>mai</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>No data has arrived from this site yet</source>
        <translation>Encara no han arribat dades d&apos;aquest lloc</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Lloc</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Tipus</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Connexió</translation>
    </message>
    <message>
        <source>Data age</source>
        <translation>Antiguitat</translation>
    </message>
    <message>
        <source>Helper</source>
        <translation>Assistent</translation>
    </message>
    <message>
        <source>Active jobs</source>
        <translation>Treballs actius</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Pendents</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Darrer error</translation>
    </message>
    <message>
        <source>Scheduler: %1 (every %2 s)
Run directories: %3 (%4)</source>
        <translation>Planificador: %1 (cada %2 s)
Directoris d&apos;execució: %3 (%4)</translation>
    </message>
    <message>
        <source>streamed by vigil-job watch</source>
        <translation>transmesos per vigil-job watch</translation>
    </message>
    <message>
        <source>scanned every cycle</source>
        <translation>explorats a cada cicle</translation>
    </message>
    <message>
        <source>%1 · live</source>
        <translation>%1 · en directe</translation>
    </message>
    <message>
        <source>none · SFTP polling</source>
        <translation>cap · sondeig SFTP</translation>
    </message>
    <message>
        <source>read over SFTP every cycle</source>
        <translation>llegits per SFTP a cada cicle</translation>
    </message>
    <message>
        <source>vigil-job cannot run on this site (%1): the run directories are read over SFTP every cycle, and vigil-job is tried again every few minutes</source>
        <translation>vigil-job no es pot executar en aquest lloc (%1): els directoris d&apos;execució es llegeixen per SFTP a cada cicle i vigil-job es torna a provar cada pocs minuts</translation>
    </message>
</context>
<context>
    <name>vigil::TaskNodeItem</name>
    <message>
        <source>Task %1 on %2</source>
        <translation>Tasca %1 a %2</translation>
    </message>
    <message>
        <source>State: %1</source>
        <translation>Estat: %1</translation>
    </message>
    <message>
        <source>Job: %1</source>
        <translation>Treball: %1</translation>
    </message>
    <message>
        <source>Checkpoints waiting: %1 (double-click to review)</source>
        <translation>Punts de control pendents: %1 (doble clic per revisar-los)</translation>
    </message>
</context>
<context>
    <name>vigil::WorkflowStatus</name>
    <message>
        <source>exit %1</source>
        <translation>sortida %1</translation>
    </message>
</context>
<context>
    <name>vigil::WorkflowView</name>
    <message>
        <source>No workflow loaded</source>
        <translation>Cap flux de treball carregat</translation>
    </message>
    <message>
        <source>Start Vigil with a workflow file: vigil WORKFLOW.toml</source>
        <translation>Inicieu Vigil amb un fitxer de flux de treball: vigil WORKFLOW.toml</translation>
    </message>
    <message>
        <source>No run yet</source>
        <translation>Encara no hi ha execucions</translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>Execució %1</translation>
    </message>
</context>
</TS>
